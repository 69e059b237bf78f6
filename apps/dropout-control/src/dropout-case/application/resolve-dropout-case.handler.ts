import { Injectable } from '@nestjs/common';
import type { Principal } from '@edu/auth';
import type { DropoutCase, ResolveCase } from '../domain/dropout-case.js';
import { CaseTransition } from './case-transition.js';

/** Records how the case ended; raises `dropout.case.resolved`. */
@Injectable()
export class ResolveDropoutCaseHandler {
  constructor(private readonly transition: CaseTransition) {}

  execute(id: string, cmd: ResolveCase, by: Principal): Promise<DropoutCase> {
    return this.transition.run(id, by, (c, at) => c.resolve(cmd, at));
  }
}
