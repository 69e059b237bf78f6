/**
 * Why a send did not go through. Permanent failures (the address does not exist, the server
 * refused the message for good) are not retried; transient ones are, with backoff.
 */
export class DeliveryFailure extends Error {
  constructor(
    reason: string,
    readonly permanent: boolean,
  ) {
    super(scrubReason(reason));
    this.name = 'DeliveryFailure';
  }
}

/**
 * Failure reasons end up in events and the API: take out what a server may echo back —
 * addresses and long numbers (phones) — and keep them short.
 */
export function scrubReason(reason: string): string {
  return reason
    .replace(/[^\s<>()[\]@,;:"']+@[^\s<>()[\]@,;:"']+/g, '[address]')
    .replace(/\+?\d{7,}/g, '[number]')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 300);
}

/** Anything thrown that is not a DeliveryFailure counts as transient: retried, up to the attempt limit. */
export function asDeliveryFailure(error: unknown): DeliveryFailure {
  if (error instanceof DeliveryFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryFailure(message || 'unknown error', false);
}
