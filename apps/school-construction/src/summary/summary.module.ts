import { Module } from '@nestjs/common';
import { SummaryController } from './api/summary.controller.js';
import { CountySummaryQuery } from './persistence/county-summary.query.js';

/** Per-county figures of the construction front, feeding supervision's battle map. */
@Module({
  controllers: [SummaryController],
  providers: [CountySummaryQuery],
})
export class SummaryModule {}
