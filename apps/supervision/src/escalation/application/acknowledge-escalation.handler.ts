import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { DomainError } from '@edu/contracts';
import { countyScope, type Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import type { Escalation } from '../domain/escalation.js';
import { EscalationRepository } from '../persistence/escalation.repository.js';

export const escalationNotFound = () =>
  new DomainError('ESCALATION_NOT_FOUND', 'no such escalation', 'not_found');

/**
 * The responsible official says they have seen the escalation. It is recorded and shown;
 * it stops nothing: only settling every item resolves an escalation.
 */
@Injectable()
export class AcknowledgeEscalationHandler {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly escalations: EscalationRepository,
    private readonly clock: Clock,
  ) {}

  execute(id: string, note: string | undefined, by: Principal): Promise<Escalation> {
    return this.dataSource.transaction(async (em) => {
      const e = await this.escalations.lockForDecision(em, id);
      const scope = countyScope(by);
      if (!e || (scope !== undefined && e.state.countyCode !== scope)) throw escalationNotFound();
      const now = this.clock.now();
      e.acknowledge(now);
      await this.escalations.save(em, e);
      await this.escalations.insertAck(em, {
        id: randomUUID(),
        escalationId: id,
        by: by.sub,
        role: by.role,
        note: note?.trim() || null,
        at: now.toISOString(),
      });
      return e;
    });
  }
}
