export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<id@domain>`: a resend of the same notification carries the same Message-ID. */
  messageId: string;
  /** Documents sent with the notice, e.g. the interview notice PDF. */
  attachments?: EmailAttachment[];
}

/** Sends email. Throws DeliveryFailure: permanent for 5xx replies, transient otherwise. */
export interface EmailSender {
  send(message: EmailMessage): Promise<{ messageId: string }>;
  close(): Promise<void>;
}

export const EMAIL_SENDER = Symbol('EMAIL_SENDER');
