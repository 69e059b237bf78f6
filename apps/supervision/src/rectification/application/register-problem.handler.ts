import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { assertCountyAccess, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { DirectoryRepository } from '../../directory/persistence/directory.repository.js';
import {
  RectificationProblem,
  rectificationError,
  type ProblemInput,
} from '../domain/rectification-problem.js';
import { RectificationRepository } from '../persistence/rectification.repository.js';

/** Puts a problem on the ledger (a county operator, in their own county only). */
@Injectable()
export class RegisterProblemHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly problems: RectificationRepository,
    private readonly directory: DirectoryRepository,
    private readonly clock: Clock,
  ) {}

  async execute(input: ProblemInput, by: Principal): Promise<RectificationProblem> {
    assertCountyAccess(by, input.countyCode);
    const known = new Set((await this.directory.jurisdictions()).map((j) => j.code));
    const problem = RectificationProblem.register(
      randomUUID(),
      input,
      by.sub,
      this.clock.today(),
      this.clock.now(),
      (c) => known.has(c),
    );
    await this.dataSource.transaction(async (em) => {
      const existing = await this.problems.byRefs(em, [problem.state.ref]);
      if (existing.size > 0) throw rectificationError.duplicateRef(problem.state.ref);
      await this.problems.upsert(em, [problem]);
    });
    return problem;
  }
}
