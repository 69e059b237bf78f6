/** A failure that no retry can fix (bad data, broken rule): the message goes to the dead-letter queue. */
export class PermanentEventError extends Error {
  readonly permanent = true;
  constructor(message: string) {
    super(message);
    this.name = 'PermanentEventError';
  }
}

export function isPermanent(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { permanent?: unknown }).permanent === true;
}
