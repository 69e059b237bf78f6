import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SUPERVISION_CONFIG, type SupervisionSettings } from '../../supervision.config.js';
import { EscalationRepository } from '../persistence/escalation.repository.js';
import { DEFAULT_ESCALATION_POLICIES } from '../seed/default-escalation-policies.js';

/** Inserts the default policy versions if they are missing (edits are new versions). */
@Injectable()
export class SeedPolicies implements OnApplicationBootstrap {
  private readonly logger = new Logger(SeedPolicies.name);
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly escalations: EscalationRepository,
    @Inject(SUPERVISION_CONFIG) private readonly settings: SupervisionSettings,
  ) {}

  async onApplicationBootstrap() {
    if (!this.settings.seedJurisdictions) return;
    const n = await this.dataSource.transaction((em) =>
      this.escalations.seedPolicies(em, DEFAULT_ESCALATION_POLICIES),
    );
    if (n > 0) this.logger.log(`seeded ${n} escalation policies`);
  }
}
