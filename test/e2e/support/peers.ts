import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';

const require = createRequire(import.meta.url);
// The smpp package is CommonJS without types.
const smpp = require('smpp') as {
  createServer(
    options: object,
    listener: (session: SmppSession) => void,
  ): {
    listen(port: number, host: string, cb: () => void): void;
    address(): AddressInfo;
    close(cb?: () => void): void;
  };
};

interface SmppPdu {
  command: string;
  system_id?: string;
  password?: string;
  destination_addr?: string;
  data_coding?: number;
  short_message?: { udh?: Buffer[]; message: string | Buffer };
  response(fields?: object): unknown;
}

interface SmppSession {
  on(event: string, cb: (pdu: SmppPdu) => void): void;
  send(pdu: unknown): void;
  pause(): void;
  resume(): void;
  close(): void;
}

export interface ReceivedSms {
  to: string;
  text: string;
  dataCoding: number;
  parts: number;
}

/** An SMPP 3.4 message centre on 127.0.0.1 that reassembles concatenated UCS-2 messages. */
export async function startSmsc(systemId = 'edu', password = 'secret') {
  const received: ReceivedSms[] = [];
  const pending = new Map<string, { total: number; parts: Map<number, string>; dataCoding: number }>();
  let nextId = 1;
  const server = smpp.createServer({ debug: false }, (session) => {
    session.on('bind_transceiver', (pdu) => {
      const ok = pdu.system_id === systemId && pdu.password === password;
      session.send(pdu.response(ok ? {} : { command_status: 0x0e }));
      if (!ok) session.close();
    });
    session.on('enquire_link', (pdu) => session.send(pdu.response()));
    session.on('unbind', (pdu) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('submit_sm', (pdu) => {
      const messageId = `m${nextId++}`;
      session.send(pdu.response({ message_id: messageId }));
      const to = pdu.destination_addr ?? '';
      const body = pdu.short_message ?? { message: '' };
      const text = typeof body.message === 'string' ? body.message : body.message.toString('utf8');
      const concat = body.udh?.find((u) => u[0] === 0x00);
      if (!concat) {
        received.push({ to, text, dataCoding: pdu.data_coding ?? 0, parts: 1 });
        return;
      }
      const [, , ref, total, seq] = concat;
      const key = `${to}:${ref}`;
      const entry = pending.get(key) ?? {
        total,
        parts: new Map<number, string>(),
        dataCoding: pdu.data_coding ?? 0,
      };
      entry.parts.set(seq, text);
      pending.set(key, entry);
      if (entry.parts.size === entry.total) {
        pending.delete(key);
        const joined = [...entry.parts.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([, t]) => t)
          .join('');
        received.push({ to, text: joined, dataCoding: entry.dataCoding, parts: entry.total });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `smpp://${systemId}:${password}@127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

/** A real SMTP server on 127.0.0.1 that keeps every message it accepts, parsed. */
export async function startSmtp() {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            messageId: mail.messageId ?? '',
          });
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
