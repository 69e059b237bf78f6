import { Injectable } from '@nestjs/common';
import type { Principal } from '@edu/auth';
import { checkPolicy, type CrosscheckPolicy } from '../domain/school-age.js';
import { CrosscheckRepository } from '../persistence/crosscheck.repository.js';

/** Adds (or corrects) the cross-check policy in effect from a date. */
@Injectable()
export class SaveCrosscheckPolicyHandler {
  constructor(private readonly runs: CrosscheckRepository) {}

  async execute(p: CrosscheckPolicy, by: Principal): Promise<CrosscheckPolicy> {
    const checked = checkPolicy(p);
    await this.runs.savePolicy(checked, by.sub);
    return checked;
  }
}
