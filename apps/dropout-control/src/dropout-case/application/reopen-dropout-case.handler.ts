import { Injectable } from '@nestjs/common';
import type { Principal } from '@edu/auth';
import type { DropoutCase } from '../domain/dropout-case.js';
import { CaseTransition } from './case-transition.js';

/** A child back in school is out again (reported by a person): the same case reopens. */
@Injectable()
export class ReopenDropoutCaseHandler {
  constructor(private readonly transition: CaseTransition) {}

  execute(id: string, cmd: { finding: string }, by: Principal): Promise<DropoutCase> {
    return this.transition.run(id, by, (c, at) => c.reopen(cmd.finding, at));
  }
}
