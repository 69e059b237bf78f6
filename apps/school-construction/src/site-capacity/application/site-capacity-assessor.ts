import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@edu/contracts';
import { Outbox } from '@edu/messaging';
import { SiteRepository } from '../persistence/site.repository.js';

/**
 * Re-compares children and seats of the given sites inside the caller's transaction, after
 * projects serving them were added, revised or moved; writes the shortfalls it opens or
 * settles to the outbox (subject: the site code, so a site's events leave in order).
 */
@Injectable()
export class SiteCapacityAssessor {
  constructor(
    private readonly sites: SiteRepository,
    private readonly outbox: Outbox,
  ) {}

  async reassess(
    em: EntityManager,
    sites: { siteCode: string; countyCode: string }[],
    today: string,
    cause?: EventEnvelope,
  ): Promise<number> {
    let raised = 0;
    for (const site of await this.sites.lock(em, sites)) {
      const events = site.assess(today, randomUUID);
      await this.sites.save(em, site);
      await this.outbox.addEvents(em, events, {
        subject: site.state.siteCode,
        county: site.state.countyCode,
        cause,
      });
      raised += events.length;
    }
    return raised;
  }
}
