import { Module } from '@nestjs/common';
import { DropoutCaseModule } from '../dropout-case/dropout-case.module.js';
import { HouseholdController } from './api/household.controller.js';
import { ReadHouseholds } from './application/read-households.js';
import { RecordHouseholdPlanHandler } from './application/record-household-plan.handler.js';
import { HouseholdPlanRepository } from './persistence/household-plan.repository.js';

@Module({
  imports: [DropoutCaseModule],
  controllers: [HouseholdController],
  providers: [HouseholdPlanRepository, ReadHouseholds, RecordHouseholdPlanHandler],
})
export class HouseholdModule {}
