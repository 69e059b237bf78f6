/** Shared field shapes for event payloads. */
export const COUNTY_CODE = /^\d{6}$/;
export const STUDENT_KEY = /^[0-9a-f]{64}$/;
/** Money as a decimal string in yuan with at most two places, e.g. "625.00". */
export const MONEY = /^\d{1,10}(\.\d{1,2})?$/;
export const TERM = /^\d{4}-(spring|autumn)$/;
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
export const FRONTS = ['dropout', 'aid', 'construction'] as const;
export type Front = (typeof FRONTS)[number];
