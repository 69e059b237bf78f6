import { allowedResolutions, caseMoves, mayApprove, problemMoves, type CaseLike } from './moves.js';
import type { User } from './permissions.js';

const operator: User = { sub: 'op-1', role: 'county_operator', county: '150821', expiresAt: '' };
const other: User = { ...operator, sub: 'op-2' };
const viewer: User = { sub: 'v', role: 'viewer', expiresAt: '' };
const auditor: User = { sub: 'a', role: 'aid_auditor', expiresAt: '' };

const kase = (c: Partial<CaseLike>): CaseLike => ({
  state: 'opened',
  expectedPlacement: 'regular_class',
  attemptsInCycle: 0,
  homeTeachingPlanId: null,
  resolution: null,
  resolvedBy: null,
  ...c,
});

describe('case moves', () => {
  it('offers each state its legal transitions only', () => {
    expect(caseMoves(kase({ state: 'opened' }), operator)).toEqual(['verify', 'attempt', 'assess']);
    expect(caseMoves(kase({ state: 'verified' }), operator)).toEqual(['plan', 'attempt', 'assess']);
    expect(caseMoves(kase({ state: 'plan' }), operator)).toEqual(['resolve', 'attempt', 'assess']);
  });

  it('lets a second person close, and reopens only a child back in school', () => {
    const resolved = kase({ state: 'resolved', resolution: 'returned', resolvedBy: 'op-1' });
    expect(caseMoves(resolved, operator)).toEqual(['reopen']);
    expect(caseMoves(resolved, other)).toEqual(['close', 'reopen']);
    expect(caseMoves(kase({ state: 'resolved', resolution: 'exempt', resolvedBy: 'op-1' }), other)).toEqual([
      'close',
    ]);
    expect(caseMoves(kase({ state: 'closed', resolution: 'exempt' }), other)).toEqual([]);
    expect(caseMoves(kase({ state: 'closed', resolution: 'placed' }), other)).toEqual(['reopen']);
  });

  it('shows nothing to roles that do not work cases', () => {
    expect(caseMoves(kase({}), viewer)).toEqual([]);
    expect(caseMoves(kase({}), auditor)).toEqual([]);
    expect(caseMoves(kase({}), null)).toEqual([]);
  });

  it('resolves as the placement calls for, once its precondition holds', () => {
    expect(allowedResolutions(kase({ state: 'plan' }))).toEqual(['exempt']);
    expect(allowedResolutions(kase({ state: 'plan', attemptsInCycle: 1 }))).toEqual(['returned', 'exempt']);
    expect(allowedResolutions(kase({ expectedPlacement: 'special_school' }))).toEqual(['placed', 'exempt']);
    expect(allowedResolutions(kase({ expectedPlacement: 'home_teaching' }))).toEqual(['exempt']);
    expect(allowedResolutions(kase({ expectedPlacement: 'home_teaching', homeTeachingPlanId: 'p' }))).toEqual(
      ['home_teaching', 'exempt'],
    );
  });
});

describe('rectification moves', () => {
  it('closes with a second person only', () => {
    const open = { status: 'open' as const, evidence: [], closureRequestedBy: null };
    expect(problemMoves(open, operator)).toEqual(['evidence', 'requestClosure']);
    const asked = { status: 'closure_requested' as const, evidence: [{}], closureRequestedBy: 'op-1' };
    expect(problemMoves(asked, operator)).toEqual(['evidence']);
    expect(problemMoves(asked, other)).toEqual(['evidence', 'approveClosure', 'rejectClosure']);
    expect(problemMoves(asked, auditor)).toEqual(['approveClosure', 'rejectClosure']);
    expect(problemMoves({ ...asked, status: 'closed' }, other)).toEqual([]);
    expect(problemMoves(asked, viewer)).toEqual([]);
  });

  it('approves aid only as an auditor who did not prepare it', () => {
    expect(mayApprove({ status: 'prepared', preparedBy: 'op-1' }, auditor)).toBe(true);
    expect(mayApprove({ status: 'prepared', preparedBy: 'a' }, auditor)).toBe(false);
    expect(mayApprove({ status: 'approved', preparedBy: 'op-1' }, auditor)).toBe(false);
    expect(mayApprove({ status: 'prepared', preparedBy: 'x' }, operator)).toBe(false);
  });
});
