import { Module } from '@nestjs/common';
import { DropoutCaseModule } from '../dropout-case/dropout-case.module.js';
import { HomeTeachingController } from './api/home-teaching.controller.js';
import { LogHomeTeachingVisitHandler } from './application/log-home-teaching-visit.handler.js';
import { ReadHomeTeaching } from './application/read-home-teaching.js';
import { StartHomeTeachingHandler } from './application/start-home-teaching.handler.js';
import { HomeTeachingRepository } from './persistence/home-teaching.repository.js';

@Module({
  imports: [DropoutCaseModule],
  controllers: [HomeTeachingController],
  providers: [
    HomeTeachingRepository,
    StartHomeTeachingHandler,
    LogHomeTeachingVisitHandler,
    ReadHomeTeaching,
  ],
})
export class HomeTeachingModule {}
