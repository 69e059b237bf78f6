import { can, type User } from './permissions.js';

/**
 * The moves a page offers: only those the domain allows from the item's state and the
 * user's role allows, so the page never shows a button the service would refuse. These
 * mirror the services' rules (DropoutCase, RectificationProblem); the services stay the judge.
 */

export interface CaseLike {
  state: 'opened' | 'verified' | 'plan' | 'resolved' | 'closed';
  expectedPlacement?: 'regular_class' | 'special_school' | 'home_teaching';
  attemptsInCycle: number;
  homeTeachingPlanId: string | null;
  resolution: 'returned' | 'placed' | 'home_teaching' | 'exempt' | null;
  resolvedBy: string | null;
}

export type CaseMove = 'verify' | 'plan' | 'attempt' | 'assess' | 'resolve' | 'close' | 'reopen';
export type Resolution = 'returned' | 'placed' | 'home_teaching' | 'exempt';

const RESOLUTION_FOR = {
  regular_class: 'returned',
  special_school: 'placed',
  home_teaching: 'home_teaching',
} as const;

/** Resolutions a case in plan may take now: the one its placement calls for, once ready, or exempt. */
export function allowedResolutions(c: CaseLike): Resolution[] {
  const expected = RESOLUTION_FOR[c.expectedPlacement ?? 'regular_class'];
  const ready =
    (expected === 'returned' && c.attemptsInCycle > 0) ||
    expected === 'placed' ||
    (expected === 'home_teaching' && c.homeTeachingPlanId !== null);
  return ready ? [expected, 'exempt'] : ['exempt'];
}

export function caseMoves(c: CaseLike, user: User | null): CaseMove[] {
  if (!can(user, 'case.work') || !user) return [];
  const backInSchool = c.resolution === 'returned' || c.resolution === 'placed';
  switch (c.state) {
    case 'opened':
      return ['verify', 'attempt', 'assess'];
    case 'verified':
      return ['plan', 'attempt', 'assess'];
    case 'plan':
      return ['resolve', 'attempt', 'assess'];
    case 'resolved':
      // 对账销号 by a second person: whoever resolved the case cannot close it.
      return [
        ...(c.resolvedBy !== user.sub ? (['close'] as const) : []),
        ...(backInSchool ? (['reopen'] as const) : []),
      ];
    case 'closed':
      return backInSchool ? ['reopen'] : [];
  }
}

export interface ProblemLike {
  status: 'open' | 'closure_requested' | 'closed';
  evidence: unknown[];
  closureRequestedBy: string | null;
}

export type ProblemMove = 'evidence' | 'requestClosure' | 'approveClosure' | 'rejectClosure';

export function problemMoves(p: ProblemLike, user: User | null): ProblemMove[] {
  if (!user) return [];
  const moves: ProblemMove[] = [];
  if (p.status !== 'closed' && can(user, 'problem.work')) moves.push('evidence');
  if (p.status === 'open' && can(user, 'problem.work')) moves.push('requestClosure');
  // The closing needs a second person: never the one who asked.
  if (p.status === 'closure_requested' && can(user, 'problem.review') && p.closureRequestedBy !== user.sub)
    moves.push('approveClosure', 'rejectClosure');
  return moves;
}

/** An entitlement run or a hand grant waits for an aid auditor who did not prepare it. */
export function mayApprove(item: { status: string; preparedBy: string }, user: User | null): boolean {
  return can(user, 'aid.approve') && item.status === 'prepared' && item.preparedBy !== user?.sub;
}
