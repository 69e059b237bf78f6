import { Injectable } from '@nestjs/common';
import type { Principal } from '@edu/auth';
import type { PersuasionAttemptInput } from '../domain/persuasion-attempt.js';
import type { StoredAttempt } from '../persistence/dropout-case.repository.js';
import { DropoutCaseRepository } from '../persistence/dropout-case.repository.js';
import { CaseTransition } from './case-transition.js';

/** Logs a persuasion attempt (劝返) on the case: who went, how, and what came of it. */
@Injectable()
export class LogPersuasionAttemptHandler {
  constructor(
    private readonly transition: CaseTransition,
    private readonly cases: DropoutCaseRepository,
  ) {}

  execute(id: string, cmd: PersuasionAttemptInput, by: Principal): Promise<StoredAttempt> {
    return this.transition.runWith(
      id,
      by,
      (c, at) => ({ events: [], result: c.logAttempt(cmd, at) }),
      (em, c, attempt, at) => this.cases.addAttempt(em, c, attempt, by.sub, at.now),
    );
  }
}
