import { isCalendarDate } from './calendar-date.js';
import { caseError } from './dropout-case.errors.js';

export const PERSUADER_ROLES = ['school', 'township', 'village', 'other'] as const;
export type PersuaderRole = (typeof PERSUADER_ROLES)[number];

export const PERSUASION_METHODS = [
  'home_visit',
  'phone',
  'school_meeting',
  'village_meeting',
  'other',
] as const;
export type PersuasionMethod = (typeof PERSUASION_METHODS)[number];

export const PERSUASION_OUTCOMES = ['agreed_to_return', 'undecided', 'refused', 'not_reached'] as const;
export type PersuasionOutcome = (typeof PERSUASION_OUTCOMES)[number];

export interface Persuader {
  name: string;
  role: PersuaderRole;
}

/** One persuasion attempt (劝返) as it was made. */
export interface PersuasionAttempt {
  attemptedOn: string;
  persuaders: Persuader[];
  method: PersuasionMethod;
  outcome: PersuasionOutcome;
  note: string | null;
}

export interface PersuasionAttemptInput {
  attemptedOn: string;
  persuaders: { name: string; role: string }[];
  method: string;
  outcome: string;
  note?: string;
}

function oneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** Checks an attempt: a real date not in the future nor before `earliest`, who went, how, what came of it. */
export function checkAttempt(
  input: PersuasionAttemptInput,
  earliest: string,
  today: string,
): PersuasionAttempt {
  if (!isCalendarDate(input.attemptedOn))
    throw caseError.invalidAttempt('attemptedOn must be a date YYYY-MM-DD');
  if (input.attemptedOn > today) throw caseError.invalidAttempt('attemptedOn cannot be in the future');
  if (input.attemptedOn < earliest)
    throw caseError.invalidAttempt('attemptedOn cannot be before the case was opened');
  const persuaders = (input.persuaders ?? []).map((p) => ({ name: p.name?.trim() ?? '', role: p.role }));
  if (persuaders.length === 0) throw caseError.invalidAttempt('at least one persuader is required');
  for (const p of persuaders) {
    if (p.name === '') throw caseError.invalidAttempt('every persuader needs a name');
    if (!oneOf(PERSUADER_ROLES, p.role))
      throw caseError.invalidAttempt(`a persuader's role must be one of ${PERSUADER_ROLES.join(', ')}`);
  }
  if (!oneOf(PERSUASION_METHODS, input.method))
    throw caseError.invalidAttempt(`method must be one of ${PERSUASION_METHODS.join(', ')}`);
  if (!oneOf(PERSUASION_OUTCOMES, input.outcome))
    throw caseError.invalidAttempt(`outcome must be one of ${PERSUASION_OUTCOMES.join(', ')}`);
  const note = input.note?.trim() || null;
  return {
    attemptedOn: input.attemptedOn,
    persuaders: persuaders as Persuader[],
    method: input.method,
    outcome: input.outcome,
    note,
  };
}
