/** How a rule violation maps to HTTP (and, in consumers, to the dead-letter queue). */
export type DomainErrorKind = 'invalid' | 'not_found' | 'conflict' | 'forbidden';

/**
 * Raised by domain code (no Nest, no ORM). `code` is a value of the feature's error enum;
 * the message names the field or item and never includes personal data.
 */
export class DomainError extends Error {
  readonly permanent = true;
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'invalid',
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
