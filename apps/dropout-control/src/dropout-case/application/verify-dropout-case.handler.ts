import { Injectable } from '@nestjs/common';
import type { Principal } from '@edu/auth';
import type { DropoutCase } from '../domain/dropout-case.js';
import { CaseTransition } from './case-transition.js';

/** The investigation confirmed the dropout and its reason. */
@Injectable()
export class VerifyDropoutCaseHandler {
  constructor(private readonly transition: CaseTransition) {}

  execute(id: string, cmd: { reason?: string }, by: Principal): Promise<DropoutCase> {
    return this.transition.run(id, by, (c, at) => c.verify(cmd.reason, at));
  }
}
