import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import { Clock } from '@edu/service';
import { SiteRepository } from '../persistence/site.repository.js';

/**
 * Takes a cross-check run's count of a site's school-age children (unless a later run's is
 * held already) and compares it with the seats of the projects serving the site.
 */
@Injectable()
export class RecordRelocationDemandHandler {
  constructor(
    private readonly sites: SiteRepository,
    private readonly outbox: Outbox,
    private readonly clock: Clock,
  ) {}

  async execute(em: EntityManager, event: EventEnvelope<'dropout.relocation-demand.v1'>): Promise<void> {
    const d = event.data;
    const [site] = await this.sites.lock(em, [{ siteCode: d.siteCode, countyCode: d.countyCode }]);
    const taken = site.recordDemand(
      {
        crosscheckId: d.crosscheckId,
        schoolYear: d.schoolYear,
        counts: { preschool: d.preschool, primary: d.primary, junior: d.junior },
        measuredAt: d.measuredAt,
      },
      d.countyCode,
    );
    if (!taken) return;
    const events = site.assess(this.clock.today(), randomUUID);
    await this.sites.save(em, site);
    await this.outbox.addEvents(em, events, {
      subject: d.siteCode,
      county: site.state.countyCode,
      cause: event,
    });
  }
}
