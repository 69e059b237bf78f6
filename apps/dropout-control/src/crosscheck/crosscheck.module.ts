import { Module } from '@nestjs/common';
import { DropoutCaseModule } from '../dropout-case/dropout-case.module.js';
import { CrosscheckController } from './api/crosscheck.controller.js';
import { ReadCrosschecks } from './application/read-crosschecks.js';
import { RunCrosscheckHandler } from './application/run-crosscheck.handler.js';
import { SaveCrosscheckPolicyHandler } from './application/save-crosscheck-policy.handler.js';
import { CrosscheckRepository } from './persistence/crosscheck.repository.js';

@Module({
  imports: [DropoutCaseModule],
  controllers: [CrosscheckController],
  providers: [CrosscheckRepository, RunCrosscheckHandler, ReadCrosschecks, SaveCrosscheckPolicyHandler],
  exports: [RunCrosscheckHandler],
})
export class CrosscheckModule {}
