import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module.js';
import { ResponsibilityController } from './api/responsibility.controller.js';
import { EditMatrixHandler } from './application/edit-matrix.handler.js';
import { MatrixView } from './application/matrix-view.js';
import { ResponsibilityResolver } from './application/responsibility-resolver.js';
import { ResponsibilityRepository } from './persistence/responsibility.repository.js';

@Module({
  imports: [DirectoryModule],
  controllers: [ResponsibilityController],
  providers: [ResponsibilityRepository, ResponsibilityResolver, EditMatrixHandler, MatrixView],
  exports: [ResponsibilityResolver, ResponsibilityRepository],
})
export class ResponsibilityModule {}
