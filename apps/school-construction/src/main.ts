import 'reflect-metadata';
import { bootstrapService, runService } from '@edu/service';
import { AppModule } from './app.module.js';
import { migrations } from './migrations/index.js';
import { readSchoolConstructionConfig } from './school-construction.config.js';

runService(async () => {
  const config = readSchoolConstructionConfig();
  await bootstrapService({
    config,
    module: AppModule.register(config),
    migrations,
    title: 'school-construction',
    description: 'Construction projects and their milestones, and the missed-milestone sweep.',
  });
});
