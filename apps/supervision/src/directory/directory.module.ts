import { Module } from '@nestjs/common';
import { DirectoryController } from './api/directory.controller.js';
import { ImportOfficialsHandler } from './application/import-officials.handler.js';
import { SeedJurisdictions } from './application/seed-jurisdictions.js';
import { DirectoryRepository } from './persistence/directory.repository.js';

@Module({
  controllers: [DirectoryController],
  providers: [DirectoryRepository, ImportOfficialsHandler, SeedJurisdictions],
  exports: [DirectoryRepository],
})
export class DirectoryModule {}
