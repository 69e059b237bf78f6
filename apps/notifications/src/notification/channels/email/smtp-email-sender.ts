import nodemailer from 'nodemailer';
import type { NodemailerError } from 'nodemailer';
import { DeliveryFailure } from '../../domain/delivery-failure.js';
import type { EmailMessage, EmailSender } from '../email-sender.js';

export interface SmtpSenderOptions {
  /** `smtp://[user:pass@]host:port` or `smtps://...` (implicit TLS). */
  url: string;
  from: string;
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
}

/** Errors with no SMTP reply that retrying cannot fix: a malformed envelope or message. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EMAXRECIPIENTS']);

/** 4xx → transient, 5xx → permanent; no reply (connection, timeout, auth) → transient. */
export function smtpFailure(error: unknown): DeliveryFailure {
  const e = (error ?? {}) as NodemailerError;
  if (typeof e.responseCode === 'number') {
    const reply = (e.response ?? e.message ?? '').replace(/\s+/g, ' ').trim();
    const permanent = e.responseCode >= 500 && e.responseCode < 600;
    return new DeliveryFailure(`SMTP ${e.responseCode}: ${reply}`, permanent);
  }
  const code = typeof e.code === 'string' ? e.code : 'ERROR';
  const message = error instanceof Error ? error.message : String(error);
  return new DeliveryFailure(`SMTP ${code}: ${message}`, PERMANENT_CODES.has(code));
}

/** Sends over SMTP with nodemailer (pooled connections), text and HTML parts, our Message-ID. */
export class SmtpEmailSender implements EmailSender {
  private readonly transport: ReturnType<typeof nodemailer.createTransport>;

  constructor(options: SmtpSenderOptions) {
    const u = new URL(options.url);
    const secure = u.protocol === 'smtps:';
    this.transport = nodemailer.createTransport(
      {
        pool: true,
        maxConnections: 3,
        host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: Number(u.port) || (secure ? 465 : 25),
        secure,
        auth: u.username
          ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }
          : undefined,
        connectionTimeout: options.connectionTimeoutMs ?? 10_000,
        greetingTimeout: options.connectionTimeoutMs ?? 10_000,
        socketTimeout: options.socketTimeoutMs ?? 60_000,
      },
      { from: options.from },
    );
  }

  async send(message: EmailMessage): Promise<{ messageId: string }> {
    try {
      const info = await this.transport.sendMail({
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId: message.messageId,
        headers: { 'Auto-Submitted': 'auto-generated' },
        attachments: (message.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
        })),
      });
      return { messageId: info.messageId || message.messageId };
    } catch (e) {
      throw smtpFailure(e);
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
