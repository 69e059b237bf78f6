import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SUPERVISION_CONFIG, type SupervisionSettings } from '../../supervision.config.js';
import { CalendarRepository } from '../persistence/calendar.repository.js';
import { CHINA_PUBLIC_HOLIDAYS } from '../seed/china-public-holidays.js';

/** Loads the seed holidays into every year that has no calendar data yet (edits are kept). */
@Injectable()
export class SeedCalendar implements OnApplicationBootstrap {
  private readonly logger = new Logger(SeedCalendar.name);
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly days: CalendarRepository,
    @Inject(SUPERVISION_CONFIG) private readonly settings: SupervisionSettings,
  ) {}

  async onApplicationBootstrap() {
    if (!this.settings.seedJurisdictions) return;
    const n = await this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('seed:calendar'))`);
      const present = new Set(await this.days.yearsWithData(em));
      const missing = CHINA_PUBLIC_HOLIDAYS.filter((d) => !present.has(Number(d.date.slice(0, 4))));
      return this.days.insertMissing(em, missing);
    });
    if (n > 0) this.logger.log(`seeded ${n} calendar days`);
  }
}
