import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerError } from 'smtp-server';

export interface ReceivedEmail {
  from: string;
  to: string[];
  /** The message as received (RFC 5322, CRLF line ends). */
  raw: string;
  receivedAt: Date;
}

export interface SmtpSinkOptions {
  /** The reply code for a recipient: undefined (or 250) accepts; tests answer 451 or 550. */
  rcptReply?: (address: string) => number | undefined;
  /** Most messages kept in memory (default 1000). */
  keep?: number;
}

/**
 * An SMTP server on 127.0.0.1 that accepts mail (no TLS, no auth) and keeps it in memory. The
 * service starts one when SMTP_URL is unset (development); tests start their own.
 */
export class LocalSmtpSink {
  readonly received: ReceivedEmail[] = [];
  /** Every RCPT TO address, accepted or not, in order. */
  readonly recipientsTried: string[] = [];

  private readonly server: SMTPServer;

  private constructor(private readonly options: SmtpSinkOptions) {
    this.server = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      banner: 'edu-supervision local mail sink',
      size: 10 * 1024 * 1024,
      closeTimeout: 500,
      onRcptTo: (address, _session, callback) => {
        this.recipientsTried.push(address.address);
        const code = this.options.rcptReply?.(address.address);
        if (code === undefined || code < 400) return callback();
        const error: SMTPServerError = new Error(
          code < 500 ? 'Mailbox busy, try again later' : 'Mailbox unavailable',
        );
        error.responseCode = code;
        callback(error);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            receivedAt: new Date(),
          });
          if (this.received.length > (this.options.keep ?? 1000)) this.received.shift();
          callback();
        });
      },
    });
  }

  static async start(options: SmtpSinkOptions = {}): Promise<LocalSmtpSink> {
    const sink = new LocalSmtpSink(options);
    const server = sink.server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return sink;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
