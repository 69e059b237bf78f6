import { Injectable } from '@nestjs/common';
import type { Principal } from '@edu/auth';
import type { DropoutCase } from '../domain/dropout-case.js';
import { CaseTransition } from './case-transition.js';

/** Reconcile and close (对账销号) against evidence. */
@Injectable()
export class CloseDropoutCaseHandler {
  constructor(private readonly transition: CaseTransition) {}

  execute(id: string, cmd: { evidence: string }, by: Principal): Promise<DropoutCase> {
    return this.transition.run(id, by, (c, at) => c.close(cmd.evidence, at));
  }
}
