import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import { receiptText } from '../smpp/delivery-receipt.js';

export interface SmppSubmission {
  messageId: string;
  to: string;
  /** submit_sm_resp status the sink answered (0: accepted). */
  status: number;
  dataCoding: number;
  esmClass: number;
  registeredDelivery: number;
  /** This part's text, decoded by data_coding. */
  text: string;
  /** Concatenation header, if the part has one. */
  concat: { reference: number; total: number; sequence: number } | null;
}

export interface ReceivedSms {
  to: string;
  text: string;
  partIds: string[];
  parts: SmppSubmission[];
}

export interface SmppSinkOptions {
  /** When set, binds must present these credentials. */
  systemId?: string;
  password?: string;
  /** Send a DELIVRD receipt for every accepted part that asks for one (default true). */
  autoReceipts?: boolean;
  /** The submit_sm_resp status for a part (default 0, accepted); tests use it to refuse or throttle. */
  respond?: (part: Omit<SmppSubmission, 'status' | 'messageId'>) => number;
  /** Most submissions kept in memory (default 1000). */
  keep?: number;
  /** Leave enquire_link unanswered, as a hung message centre would (tests). */
  ignoreEnquireLink?: boolean;
}

const MESSAGE_STATES: Record<string, number> = { DELIVRD: 2, EXPIRED: 3, DELETED: 4, UNDELIV: 5, REJECTD: 8 };

/**
 * An SMPP 3.4 message centre on 127.0.0.1 that accepts binds and submit_sm and keeps what it
 * got in memory. The service starts one when SMPP_URL is unset (development); tests start
 * their own to see what was sent and to answer with errors or delivery receipts.
 */
export class LocalSmppSink {
  readonly submissions: SmppSubmission[] = [];
  binds = 0;
  enquireLinks = 0;
  private readonly sessions = new Set<smpp.Session>();
  private readonly owners = new Map<string, smpp.Session>();
  private nextId = 1;
  private readonly prefix = Math.random().toString(16).slice(2, 8);
  private readonly server: smpp.Server;

  private constructor(private readonly options: SmppSinkOptions) {
    this.server = smpp.createServer({}, (session) => this.attach(session));
  }

  static async start(options: SmppSinkOptions = {}): Promise<LocalSmppSink> {
    const sink = new LocalSmppSink(options);
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
    return (this.server.address() as AddressInfo).port;
  }

  get url(): string {
    const id = encodeURIComponent(this.options.systemId ?? 'local');
    const password = encodeURIComponent(this.options.password ?? 'local');
    return `smpp://${id}:${password}@127.0.0.1:${this.port}`;
  }

  /** Accepted messages, concatenated parts put back together (complete ones only). */
  messages(): ReceivedSms[] {
    const out: ReceivedSms[] = [];
    const groups = new Map<string, SmppSubmission[]>();
    for (const s of this.submissions) {
      if (s.status !== 0) continue;
      if (!s.concat) {
        out.push({ to: s.to, text: s.text, partIds: [s.messageId], parts: [s] });
        continue;
      }
      const key = `${s.to}/${s.concat.reference}/${s.concat.total}`;
      const group = groups.get(key) ?? [];
      // A resend reuses no reference in practice; keep the latest copy of each sequence.
      const i = group.findIndex((g) => g.concat?.sequence === s.concat?.sequence);
      if (i >= 0) group.splice(i, 1);
      group.push(s);
      groups.set(key, group);
      if (group.length === s.concat.total) {
        const parts = [...group].sort((a, b) => (a.concat?.sequence ?? 0) - (b.concat?.sequence ?? 0));
        out.push({
          to: s.to,
          text: parts.map((p) => p.text).join(''),
          partIds: parts.map((p) => p.messageId),
          parts,
        });
        groups.delete(key);
      }
    }
    return out;
  }

  /** Sends a delivery receipt for `messageId` to the session that submitted it; resolves with the ESME's status. */
  sendReceipt(messageId: string, state = 'DELIVRD'): Promise<number> {
    const session = this.owners.get(messageId) ?? [...this.sessions][0];
    const part = this.submissions.find((s) => s.messageId === messageId);
    if (!session) return Promise.reject(new Error('no bound session to send the receipt to'));
    return new Promise((resolve, reject) => {
      const sent = session.deliver_sm(
        {
          source_addr: part?.to ?? '',
          destination_addr: '',
          esm_class: 0x04,
          short_message: receiptText(messageId, state),
          receipted_message_id: messageId,
          message_state: MESSAGE_STATES[state] ?? 7,
        },
        (pdu) => resolve(pdu.command_status),
      );
      if (!sent) reject(new Error('session is not writable'));
    });
  }

  /** Cuts every connection, as a crashing or restarting SMS centre would. */
  dropSessions(): void {
    for (const s of this.sessions) s.destroy();
  }

  async close(): Promise<void> {
    this.dropSessions();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private attach(session: smpp.Session): void {
    this.sessions.add(session);
    session.on('close', () => this.sessions.delete(session));
    session.on('error', () => session.destroy());
    const bind = (pdu: smpp.PDU) => {
      const { systemId, password } = this.options;
      const ok =
        (systemId === undefined || pdu.system_id === systemId) &&
        (password === undefined || pdu.password === password);
      session.send(
        pdu.response(ok ? { system_id: 'local-sink' } : { command_status: smpp.errors.ESME_RBINDFAIL }),
      );
      if (ok) this.binds += 1;
      else session.close();
    };
    session.on('bind_transceiver', bind);
    session.on('bind_transmitter', bind);
    session.on('enquire_link', (pdu: smpp.PDU) => {
      this.enquireLinks += 1;
      if (!this.options.ignoreEnquireLink) session.send(pdu.response());
    });
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('deliver_sm_resp', () => undefined);
    session.on('submit_sm', (pdu: smpp.PDU) => this.onSubmit(session, pdu));
  }

  private onSubmit(session: smpp.Session, pdu: smpp.PDU): void {
    const body = (pdu.short_message ?? { message: '' }) as { udh?: Buffer[]; message: string | Buffer };
    const header = body.udh?.find((u) => u[0] === 0x00 && u[1] === 0x03);
    const part = {
      to: typeof pdu.destination_addr === 'string' ? pdu.destination_addr : '',
      dataCoding: Number(pdu.data_coding ?? 0),
      esmClass: Number(pdu.esm_class ?? 0),
      registeredDelivery: Number(pdu.registered_delivery ?? 0),
      text: typeof body.message === 'string' ? body.message : body.message.toString('latin1'),
      concat: header ? { reference: header[2], total: header[3], sequence: header[4] } : null,
    };
    const status = this.options.respond?.(part) ?? 0;
    const messageId = status === 0 ? `${this.prefix}${(this.nextId++).toString(16).padStart(6, '0')}` : '';
    this.submissions.push({ ...part, status, messageId });
    if (this.submissions.length > (this.options.keep ?? 1000)) this.submissions.shift();
    if (status !== 0) {
      session.send(pdu.response({ command_status: status }));
      return;
    }
    this.owners.set(messageId, session);
    session.send(pdu.response({ message_id: messageId }));
    if ((this.options.autoReceipts ?? true) && (part.registeredDelivery & 0x03) !== 0) {
      setTimeout(() => void this.sendReceipt(messageId).catch(() => undefined), 20).unref();
    }
  }
}
