import smpp from 'smpp';
import { DeliveryFailure } from '../../domain/delivery-failure.js';

const NAMES = new Map<number, string>(Object.entries(smpp.errors).map(([name, code]) => [code, name]));

/** Worth another try later: the SMS centre is busy, throttling us, or failed internally. */
const TRANSIENT = new Set([
  'ESME_RTHROTTLED',
  'ESME_RMSGQFUL',
  'ESME_RSYSERR',
  'ESME_RX_T_APPN',
  'ESME_RSUBMITFAIL',
  'ESME_RUNKNOWNERR',
  'ESME_RINVBNDSTS',
  'ESME_RDELIVERYFAILURE',
]);

/** The same message would be refused again: wrong number, wrong content, not allowed. */
const PERMANENT = new Set([
  'ESME_RINVDSTADR',
  'ESME_RINVDSTTON',
  'ESME_RINVDSTNPI',
  'ESME_RINVMSGLEN',
  'ESME_RINVDCS',
  'ESME_RINVESMCLASS',
  'ESME_RINVSRCADR',
  'ESME_RINVSRCTON',
  'ESME_RINVSRCNPI',
  'ESME_RINVREGDLVFLG',
  'ESME_RX_P_APPN',
  'ESME_RX_R_APPN',
  'ESME_RPROHIBITED',
  'ESME_RSERTYPDENIED',
  'ESME_RINVSERTYP',
]);

export function smppStatusName(status: number): string {
  return NAMES.get(status) ?? `status 0x${status.toString(16).padStart(2, '0')}`;
}

/** Maps a submit_sm_resp error status to a failure; vendor-specific and unknown codes are retried. */
export function smppFailure(status: number): DeliveryFailure {
  const name = smppStatusName(status);
  return new DeliveryFailure(
    `SMSC refused the message: ${name}`,
    PERMANENT.has(name) && !TRANSIENT.has(name),
  );
}
