import { Module } from '@nestjs/common';
import { PolicyController } from './api/policy.controller.js';
import { PolicyCatalogue } from './application/policy-catalogue.js';
import { SavePolicyHandler } from './application/save-policy.handler.js';
import { PolicyRepository } from './persistence/policy.repository.js';

@Module({
  controllers: [PolicyController],
  providers: [PolicyRepository, PolicyCatalogue, SavePolicyHandler],
  exports: [PolicyCatalogue],
})
export class PolicyModule {}
