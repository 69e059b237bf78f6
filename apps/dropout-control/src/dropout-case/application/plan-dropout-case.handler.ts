import { Injectable } from '@nestjs/common';
import type { Principal } from '@edu/auth';
import type { DropoutCase, Persuaders } from '../domain/dropout-case.js';
import { CaseTransition } from './case-transition.js';

/** Assigns the persuaders from the school, the township and the village (劝返复学). */
@Injectable()
export class PlanDropoutCaseHandler {
  constructor(private readonly transition: CaseTransition) {}

  execute(id: string, cmd: { persuaders: Persuaders }, by: Principal): Promise<DropoutCase> {
    return this.transition.run(id, by, (c, at) => c.plan(cmd.persuaders, at));
  }
}
