import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SUPERVISION_CONFIG, type SupervisionSettings } from '../../supervision.config.js';
import { DirectoryRepository } from '../persistence/directory.repository.js';
import { DEFAULT_JURISDICTIONS } from '../seed/default-jurisdictions.js';

/** Loads the seed jurisdictions into an empty table at start (no-op afterwards). */
@Injectable()
export class SeedJurisdictions implements OnApplicationBootstrap {
  private readonly logger = new Logger(SeedJurisdictions.name);
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly directory: DirectoryRepository,
    @Inject(SUPERVISION_CONFIG) private readonly settings: SupervisionSettings,
  ) {}

  async onApplicationBootstrap() {
    if (!this.settings.seedJurisdictions) return;
    await this.dataSource.transaction(async (em) => {
      // Serialise replicas starting together.
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('seed:jurisdictions'))`);
      if ((await this.directory.jurisdictions(em)).length > 0) return;
      await this.directory.upsertJurisdictions(em, DEFAULT_JURISDICTIONS);
      this.logger.log(`seeded ${DEFAULT_JURISDICTIONS.length} jurisdictions`);
    });
  }
}
