import { Module } from '@nestjs/common';
import { MonitoringPolicyController } from './api/monitoring-policy.controller.js';
import { AddMonitoringPolicyHandler } from './application/add-monitoring-policy.handler.js';
import { MonitoringPolicyRepository } from './persistence/monitoring-policy.repository.js';

/** When a project counts as stalled or over budget: rows with effective dates. */
@Module({
  controllers: [MonitoringPolicyController],
  providers: [MonitoringPolicyRepository, AddMonitoringPolicyHandler],
  exports: [MonitoringPolicyRepository],
})
export class MonitoringPolicyModule {}
