import { studentKeyOf } from '@edu/contracts';
import {
  checkResidentId,
  normalizeName,
  parseMoneyFen,
  type CellProblem,
} from '../../roster/domain/roster-row.js';

/** One line of a bank or treasury return file, validated; the ID number only as its key. */
export interface PaymentLine {
  paymentRef: string;
  studentKey: string;
  /** The ID number's first six digits: the county of last resort for a student on no roster. */
  idRegion: string;
  name: string;
  policyCode: string;
  term: string;
  /** Negative for a reversal. */
  amountFen: number;
  paidOn: string;
  reversesRef: string | null;
}

export const PAYMENT_COLUMNS = [
  'payment_ref',
  'id_number',
  'name',
  'policy_code',
  'term',
  'amount',
  'paid_on',
] as const;

const TERM = /^\d{4}-(spring|autumn)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const POLICY = /^[A-Z][A-Z0-9_]{1,63}$/;

export function parsePaymentRow(
  r: Record<string, string>,
  line: number,
  secret: string,
): PaymentLine | CellProblem[] {
  const problems: CellProblem[] = [];
  const bad = (field: string, reason: string) => problems.push({ line, field, reason });
  const ref = r.payment_ref ?? '';
  if (ref === '' || ref.length > 128) bad('payment_ref', 'is required (at most 128 characters)');
  const id = (r.id_number ?? '').toUpperCase();
  const idProblem = checkResidentId(id, line, 'id_number');
  if (idProblem) problems.push(idProblem);
  const name = normalizeName(r.name ?? '');
  if (name === '' || name.length > 100) bad('name', 'is required (at most 100 characters)');
  const policy = (r.policy_code ?? '').toUpperCase();
  if (!POLICY.test(policy)) bad('policy_code', 'must be a policy code such as COMPULSORY_BOARDER_LIVING');
  const term = (r.term ?? '').toLowerCase();
  if (!TERM.test(term)) bad('term', 'must look like 2020-autumn or 2020-spring');
  const text = r.amount ?? '';
  const negative = text.startsWith('-');
  const fen = parseMoneyFen(negative ? text.slice(1) : text);
  if (fen === null || fen === 0)
    bad('amount', 'must be a non-zero amount in yuan, e.g. 625.00 (negative for a reversal)');
  const paidOn = r.paid_on ?? '';
  if (!DATE.test(paidOn) || Number.isNaN(Date.parse(`${paidOn}T00:00:00Z`)))
    bad('paid_on', 'must be a date YYYY-MM-DD');
  const reverses = r.reverses_ref ? r.reverses_ref : null;
  if (negative && !reverses)
    bad('reverses_ref', 'is required for a negative amount: the payment_ref it reverses');
  if (!negative && reverses) bad('amount', 'must be negative for a reversal');
  if (reverses !== null && reverses === ref) bad('reverses_ref', 'cannot name the line itself');
  if (problems.length > 0) return problems;
  return {
    paymentRef: ref,
    studentKey: studentKeyOf(id, secret),
    idRegion: id.slice(0, 6),
    name,
    policyCode: policy,
    term,
    amountFen: negative ? -(fen as number) : (fen as number),
    paidOn,
    reversesRef: reverses,
  };
}
