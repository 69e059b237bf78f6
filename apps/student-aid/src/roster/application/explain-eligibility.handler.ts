import { Injectable } from '@nestjs/common';
import { countyScope, type Principal } from '@edu/auth';
import { DomainError } from '@edu/contracts';
import { PolicyCatalogue } from '../../policy/application/policy-catalogue.js';
import { judge, type EligibilityVerdict } from '../../policy/domain/policy.js';
import { parseTerm } from '../../policy/domain/term.js';
import { RosterRepository } from '../persistence/roster.repository.js';

export interface EligibilityExplanation {
  studentKey: string;
  term: string;
  countyCode: string;
  verdicts: EligibilityVerdict[];
}

/** For each policy of the term, whether the student is eligible and why (condition by condition). */
@Injectable()
export class ExplainEligibilityHandler {
  constructor(
    private readonly roster: RosterRepository,
    private readonly catalogue: PolicyCatalogue,
  ) {}

  async execute(studentKey: string, termCode: string, by: Principal): Promise<EligibilityExplanation> {
    const term = parseTerm(termCode);
    const student = await this.roster.find(studentKey, countyScope(by));
    if (!student)
      throw new DomainError('ROSTER_STUDENT_NOT_FOUND', 'no such student on the roster', 'not_found');
    const policies = await this.catalogue.forTerm(term);
    return {
      studentKey,
      term: term.code,
      countyCode: student.countyCode,
      verdicts: policies.map((p) => judge(p, term, student)),
    };
  }
}
