import { Module } from '@nestjs/common';
import { SiteController } from './api/site.controller.js';
import { RecordRelocationDemandHandler } from './application/record-relocation-demand.handler.js';
import { SiteCapacityAssessor } from './application/site-capacity-assessor.js';
import { RelocationDemandConsumer } from './messaging/relocation-demand.consumer.js';
import { SiteRepository } from './persistence/site.repository.js';

/** Relocation sites' children against the seats of the projects serving them. */
@Module({
  controllers: [SiteController, RelocationDemandConsumer],
  providers: [SiteRepository, SiteCapacityAssessor, RecordRelocationDemandHandler],
  exports: [SiteCapacityAssessor],
})
export class SiteCapacityModule {}
