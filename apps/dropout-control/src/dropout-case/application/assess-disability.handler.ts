import { Injectable } from '@nestjs/common';
import type { Principal } from '@edu/auth';
import type { DropoutCase } from '../domain/dropout-case.js';
import { CaseTransition } from './case-transition.js';

/** Records a new assessment of the child's disability level, which decides the placement. */
@Injectable()
export class AssessDisabilityHandler {
  constructor(private readonly transition: CaseTransition) {}

  execute(id: string, cmd: { disabilityLevel: string }, by: Principal): Promise<DropoutCase> {
    return this.transition.run(id, by, (c, at) => c.assessDisability(cmd.disabilityLevel, at));
  }
}
