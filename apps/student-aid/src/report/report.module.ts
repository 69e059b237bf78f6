import { Module } from '@nestjs/common';
import { ReportController } from './api/report.controller.js';
import { TimelinessQuery } from './persistence/timeliness.query.js';

@Module({ controllers: [ReportController], providers: [TimelinessQuery] })
export class ReportModule {}
