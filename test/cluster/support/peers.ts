import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

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
  system_id?: string;
  password?: string;
  destination_addr?: string;
  short_message?: { udh?: Buffer[]; message: string | Buffer };
  response(fields?: object): unknown;
}

interface SmppSession {
  on(event: string, cb: (pdu: SmppPdu) => void): void;
  send(pdu: unknown): void;
  close(): void;
}

/** One SMS as the handset would show it: every part's message id, the first part's first. */
export interface SmscMessage {
  to: string;
  text: string;
  partIds: string[];
}

/**
 * An SMPP 3.4 message centre on 127.0.0.1 that acknowledges every submit_sm with an id of its
 * own and keeps each message (concatenated parts joined), so a test can tell which messages
 * the sender recorded (by those ids) and which it sent again.
 */
export async function startCountingSmsc(systemId = 'edu', password = 'cluster-secret') {
  const messages: SmscMessage[] = [];
  const pending = new Map<string, { total: number; parts: Map<number, { id: string; text: string }> }>();
  let submits = 0;
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
    session.on('error', () => session.close());
    session.on('submit_sm', (pdu) => {
      submits += 1;
      const id = `c${submits}`;
      session.send(pdu.response({ message_id: id }));
      const to = pdu.destination_addr ?? '';
      const body = pdu.short_message ?? { message: '' };
      const text = typeof body.message === 'string' ? body.message : body.message.toString('utf8');
      const concat = body.udh?.find((u) => u[0] === 0x00);
      if (!concat) {
        messages.push({ to, text, partIds: [id] });
        return;
      }
      const [, , ref, total, seq] = concat;
      // A resend reuses the reference: a part already present starts a new message.
      let key = `${to}:${ref}`;
      while (pending.get(key)?.parts.has(seq)) key += '+';
      const entry = pending.get(key) ?? { total, parts: new Map() };
      entry.parts.set(seq, { id, text });
      pending.set(key, entry);
      if (entry.parts.size === entry.total) {
        pending.delete(key);
        const parts = [...entry.parts.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p);
        messages.push({ to, text: parts.map((p) => p.text).join(''), partIds: parts.map((p) => p.id) });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `smpp://${systemId}:${password}@127.0.0.1:${port}`,
    messages,
    submits: () => submits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface SmtpMessage {
  to: string[];
  messageId: string;
}

/** An SMTP server on 127.0.0.1 that keeps each accepted message's recipients and Message-ID. */
export async function startCountingSmtp() {
  const messages: SmtpMessage[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 20 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (e: Error) => callback(e));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const head = raw.split(/\r?\n\r?\n/, 1)[0];
        const messageId = /^message-id:\s*(\S+)/im.exec(head)?.[1] ?? '';
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), messageId });
        callback();
      });
    },
  });
  // A sender killed mid-conversation resets its connection: expected here, not a failure.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
