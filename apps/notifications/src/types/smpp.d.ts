// Minimal types for the parts of `smpp` 0.5.x (CommonJS, untyped) that this service uses.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  namespace smpp {
    type Params = Record<string, unknown>;
    type ResponseCallback = (pdu: PDU) => void;

    interface PDU {
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      isResponse(): boolean;
      response(options?: Params): PDU;
      [param: string]: unknown;
    }

    interface Session extends EventEmitter {
      server?: Server;
      socket: import('node:net').Socket;
      send(pdu: PDU, responseCallback?: ResponseCallback, sendCallback?: ResponseCallback): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      pause(): void;
      resume(): void;
      bind_transceiver(options: Params, responseCallback?: ResponseCallback): boolean;
      submit_sm(options: Params, responseCallback?: ResponseCallback): boolean;
      deliver_sm(options: Params, responseCallback?: ResponseCallback): boolean;
      enquire_link(options?: Params, responseCallback?: ResponseCallback): boolean;
      unbind(options?: Params, responseCallback?: ResponseCallback): boolean;
      on(event: 'connect' | 'close', listener: () => void): this;
      on(event: 'error', listener: (error: Error) => void): this;
      on(event: string, listener: (pdu: PDU) => void): this;
    }

    interface Server extends NetServer {
      sessions: Session[];
    }

    interface ConnectOptions {
      host?: string;
      port?: number;
      tls?: boolean;
      url?: string;
      auto_enquire_link_period?: number;
      [option: string]: unknown;
    }
  }

  const smpp: {
    connect(options: smpp.ConnectOptions, listener?: () => void): smpp.Session;
    createServer(options: Record<string, unknown>, listener?: (session: smpp.Session) => void): smpp.Server;
    PDU: new (command: string, options?: smpp.Params) => smpp.PDU;
    /** Command status names to codes, e.g. ESME_RTHROTTLED → 0x58. */
    errors: Record<string, number>;
  };

  export = smpp;
}
