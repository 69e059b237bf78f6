import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ImportRunner } from './import-runner.js';
import { ImportsController } from './imports.controller.js';

/** ImportRunner plus `GET /api/imports` and `GET /api/imports/{id}`; needs ImportTables in the service's migrations. */
@Module({
  controllers: [ImportsController],
  providers: [
    { provide: ImportRunner, useFactory: (ds: DataSource) => new ImportRunner(ds), inject: [DataSource] },
  ],
  exports: [ImportRunner],
})
export class ImportsModule {}
