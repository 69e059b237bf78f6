import { Module } from '@nestjs/common';
import { ImportsModule } from '@edu/imports';
import { CrosscheckModule } from '../crosscheck/crosscheck.module.js';
import { RegistryController } from './api/registry.controller.js';
import { ImportRegistryHandler } from './application/import-registry.handler.js';

@Module({
  imports: [ImportsModule, CrosscheckModule],
  controllers: [RegistryController],
  providers: [ImportRegistryHandler],
})
export class RegistryModule {}
