const ID_NUMBERS = /(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g;

/** Replaces anything shaped like a resident ID number; applied to every log line. */
export function redact(text: string): string {
  return text.replace(ID_NUMBERS, '[id-redacted]');
}
