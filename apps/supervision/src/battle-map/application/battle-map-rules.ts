import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '@edu/contracts';
import type { Principal } from '@edu/auth';
import { Clock } from '@edu/service';
import { SEED_EFFECTIVE_FROM } from '../../escalation/persistence/escalation.repository.js';
import { SUPERVISION_CONFIG, type SupervisionSettings } from '../../supervision.config.js';
import { DEFAULT_MAP_RULES, ruleProblems, type MapRule } from '../domain/battle-map.js';
import { BattleMapRepository } from '../persistence/battle-map.repository.js';

/** The map's red/amber/green rules: seeded once, then new versions with effective dates. */
@Injectable()
export class BattleMapRules implements OnApplicationBootstrap {
  private readonly logger = new Logger(BattleMapRules.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly map: BattleMapRepository,
    private readonly clock: Clock,
    @Inject(SUPERVISION_CONFIG) private readonly settings: SupervisionSettings,
  ) {}

  async onApplicationBootstrap() {
    if (!this.settings.seedJurisdictions) return;
    const seeded = await this.dataSource.transaction((em) =>
      this.map.seedRules(em, DEFAULT_MAP_RULES, SEED_EFFECTIVE_FROM),
    );
    if (seeded) this.logger.log('seeded the battle map rules');
  }

  async add(rules: MapRule[], effectiveFrom: string | undefined, by: Principal) {
    const problems = ruleProblems(rules);
    if (problems.length > 0)
      throw new DomainError(
        'BATTLE_MAP_RULES_INVALID',
        problems.map((p) => `${p.field}: ${p.reason}`).join('; '),
      );
    const from = effectiveFrom ? new Date(effectiveFrom) : this.clock.now();
    const version = await this.dataSource.transaction((em) => this.map.addRules(em, rules, from, by.sub));
    return { version, effectiveFrom: from.toISOString(), rules };
  }
}
