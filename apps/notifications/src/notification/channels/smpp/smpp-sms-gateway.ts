import { Logger } from '@nestjs/common';
import smpp from 'smpp';
import { DeliveryFailure } from '../../domain/delivery-failure.js';
import type { SmsGateway, SmsReceiptListener, SmsSendResult } from '../sms-gateway.js';
import { parseDeliveryReceipt } from './delivery-receipt.js';
import { smppFailure, smppStatusName } from './smpp-status.js';
import { DATA_CODING_UCS2, ESM_CLASS_UDHI, ucs2Payloads } from './sms-segments.js';

export interface SmppEndpoint {
  host: string;
  port: number;
  tls: boolean;
  systemId: string;
  password: string;
  systemType: string;
  /** Sender number or name, if the SMS centre wants one (`?source_addr=` in SMPP_URL). */
  sourceAddr: string;
}

/** `smpp://system_id:password@host:port[?source_addr=10690000&system_type=]` (ssmpp:// for TLS). */
export function parseSmppUrl(url: string): SmppEndpoint {
  const u = new URL(url);
  const tls = u.protocol === 'ssmpp:';
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(u.port) || (tls ? 3550 : 2775),
    tls,
    systemId: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    systemType: u.searchParams.get('system_type') ?? '',
    sourceAddr: u.searchParams.get('source_addr') ?? '',
  };
}

export interface SmppGatewayOptions {
  url: string;
  /** enquire_link period; a link that leaves one unanswered is dropped and bound again. */
  enquireLinkMs?: number;
  /** How long to wait for any response PDU. */
  responseTimeoutMs?: number;
  /** How long a send waits for the link to be bound before failing (transiently). */
  bindWaitMs?: number;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
}

type Request = 'bind_transceiver' | 'submit_sm' | 'enquire_link' | 'unbind';

/**
 * SMPP 3.4 client: binds as a transceiver, keeps the link alive with enquire_link, and binds
 * again (with backoff) whenever it drops. Text goes out as UCS-2, concatenated past 70
 * characters, each part asking for a delivery receipt; receipts are handed to the listener
 * and acknowledged once it has recorded them.
 */
export class SmppSmsGateway implements SmsGateway {
  readonly provider = 'smpp' as const;
  private readonly logger = new Logger('SmppSmsGateway');
  private readonly endpoint: SmppEndpoint;
  private readonly enquireLinkMs: number;
  private readonly responseTimeoutMs: number;
  private readonly bindWaitMs: number;
  private readonly reconnectMinMs: number;
  private readonly reconnectMaxMs: number;
  private session?: smpp.Session;
  private bound = false;
  private started = false;
  private stopped = false;
  private failures = 0;
  private reconnectTimer?: NodeJS.Timeout;
  private keepaliveTimer?: NodeJS.Timeout;
  private readonly bindWaiters = new Set<() => void>();
  private readonly inFlight = new Set<(error: Error) => void>();
  private listener?: SmsReceiptListener;
  private reference = Math.floor(Math.random() * 256);
  /** Successful binds so far (the first one included). */
  binds = 0;

  constructor(options: SmppGatewayOptions) {
    this.endpoint = parseSmppUrl(options.url);
    this.enquireLinkMs = options.enquireLinkMs ?? 30_000;
    this.responseTimeoutMs = options.responseTimeoutMs ?? 20_000;
    this.bindWaitMs = options.bindWaitMs ?? 5_000;
    this.reconnectMinMs = options.reconnectMinMs ?? 500;
    this.reconnectMaxMs = options.reconnectMaxMs ?? 30_000;
  }

  get isBound(): boolean {
    return this.bound;
  }

  /** Starts connecting; sends wait (briefly) for the bind. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.connect();
  }

  onReceipt(listener: SmsReceiptListener): void {
    this.listener = listener;
  }

  async send(to: string, text: string): Promise<SmsSendResult> {
    const session = await this.boundSession();
    const international = to.startsWith('+');
    const source = this.endpoint.sourceAddr;
    const payloads = ucs2Payloads(text, this.nextReference());
    const partIds: string[] = [];
    for (const [i, payload] of payloads.entries()) {
      const pdu = await this.request(session, 'submit_sm', {
        source_addr_ton: source && !/^\d+$/.test(source) ? 5 : 0,
        source_addr_npi: source && /^\d+$/.test(source) ? 1 : 0,
        source_addr: source,
        dest_addr_ton: international ? 1 : 0,
        dest_addr_npi: 1,
        destination_addr: international ? to.slice(1) : to,
        esm_class: payloads.length > 1 ? ESM_CLASS_UDHI : 0,
        registered_delivery: 1,
        data_coding: DATA_CODING_UCS2,
        short_message: payload,
      });
      if (pdu.command_status !== 0) {
        const failure = smppFailure(pdu.command_status);
        if (i === 0) throw failure;
        throw new DeliveryFailure(
          `part ${i + 1} of ${payloads.length}: ${failure.message}`,
          failure.permanent,
        );
      }
      partIds.push(typeof pdu.message_id === 'string' ? pdu.message_id : '');
    }
    return { messageId: partIds[0], partIds };
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.keepaliveTimer);
    const session = this.session;
    if (!session) return;
    if (this.bound) {
      await this.request(session, 'unbind', {}, 1000).catch(() => undefined);
    }
    this.drop(session, new DeliveryFailure('SMS gateway closed', false));
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 1000);
      session.destroy(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private connect(): void {
    if (this.stopped) return;
    const { host, port, tls } = this.endpoint;
    const session = smpp.connect({ host, port, tls });
    this.session = session;
    session.on(tls ? 'secureConnect' : 'connect', () => this.bind(session));
    session.on('close', () => this.onClosed(session));
    session.on('error', (e: Error) => {
      this.logger.warn(`SMSC link error (${host}:${port}): ${e.message}`);
      session.destroy();
    });
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      this.logger.warn('SMSC asked to unbind; binding again');
      session.send(pdu.response());
      session.close();
    });
    session.on('deliver_sm', (pdu: smpp.PDU) => this.onDeliver(session, pdu));
    session.on('unknown', (pdu: smpp.PDU) => session.send(pdu.response()));
  }

  private bind(session: smpp.Session): void {
    const { systemId, password, systemType, host, port } = this.endpoint;
    this.request(session, 'bind_transceiver', {
      system_id: systemId,
      password,
      system_type: systemType,
      interface_version: 0x34,
    }).then(
      (pdu) => {
        if (session !== this.session) return;
        if (pdu.command_status !== 0) {
          this.logger.error(`SMSC refused the bind as ${systemId}: ${smppStatusName(pdu.command_status)}`);
          session.destroy();
          return;
        }
        this.bound = true;
        this.failures = 0;
        this.binds += 1;
        this.logger.log(`bound to SMSC ${host}:${port} as transceiver ${systemId}`);
        for (const wake of this.bindWaiters) wake();
        this.bindWaiters.clear();
        this.keepAlive(session);
      },
      (e: Error) => {
        this.logger.warn(`bind failed: ${e.message}`);
        session.destroy();
      },
    );
  }

  private keepAlive(session: smpp.Session): void {
    clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = setInterval(() => {
      this.request(session, 'enquire_link', {}).catch((e: Error) => {
        if (session !== this.session) return;
        this.logger.warn(`enquire_link unanswered (${e.message}); dropping the link`);
        session.destroy();
      });
    }, this.enquireLinkMs);
    this.keepaliveTimer.unref();
  }

  private onClosed(session: smpp.Session): void {
    if (session !== this.session) return;
    this.drop(session, new DeliveryFailure('SMSC connection lost', false));
    if (this.stopped) return;
    const delay = Math.min(this.reconnectMaxMs, this.reconnectMinMs * 2 ** this.failures);
    this.failures += 1;
    this.logger.warn(`SMSC link down; reconnecting in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
  }

  private drop(session: smpp.Session, reason: Error): void {
    if (session === this.session) this.session = undefined;
    this.bound = false;
    clearInterval(this.keepaliveTimer);
    for (const fail of [...this.inFlight]) fail(reason);
  }

  private onDeliver(session: smpp.Session, pdu: smpp.PDU): void {
    const receipt = parseDeliveryReceipt(pdu);
    if (!receipt) {
      session.send(pdu.response());
      return;
    }
    const listener = this.listener;
    if (!listener) {
      // Not ready to record it: ask the SMS centre to send it again later.
      session.send(pdu.response({ command_status: smpp.errors.ESME_RX_T_APPN }));
      return;
    }
    listener(receipt).then(
      () => session.send(pdu.response()),
      (e: Error) => {
        this.logger.warn(
          `delivery receipt ${receipt.messageId} not recorded, SMSC will resend: ${e.message}`,
        );
        session.send(pdu.response({ command_status: smpp.errors.ESME_RX_T_APPN }));
      },
    );
  }

  private async boundSession(): Promise<smpp.Session> {
    this.start();
    if (this.stopped) throw new DeliveryFailure('SMS gateway closed', false);
    if (!this.bound || !this.session) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.bindWaitMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.bindWaiters.add(done);
      });
    }
    if (!this.bound || !this.session) throw new DeliveryFailure('not bound to the SMSC', false);
    return this.session;
  }

  /** Sends a request PDU and waits for its response; fails if the link drops or nothing comes back. */
  private request(
    session: smpp.Session,
    command: Request,
    params: smpp.Params,
    timeoutMs = this.responseTimeoutMs,
  ): Promise<smpp.PDU> {
    return new Promise<smpp.PDU>((resolve, reject) => {
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.inFlight.delete(fail);
        action();
      };
      const fail = (error: Error) => settle(() => reject(error));
      const timer = setTimeout(
        () => fail(new DeliveryFailure(`SMSC did not answer ${command} within ${timeoutMs} ms`, false)),
        timeoutMs,
      );
      this.inFlight.add(fail);
      const written = session[command](params, (pdu: smpp.PDU) => settle(() => resolve(pdu)));
      if (!written) fail(new DeliveryFailure('SMSC connection is not writable', false));
    });
  }

  private nextReference(): number {
    this.reference = (this.reference + 1) & 0xff;
    return this.reference;
  }
}
