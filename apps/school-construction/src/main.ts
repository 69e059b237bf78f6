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
    description:
      'Construction projects: milestones, budgets, progress, relocation-site capacity; the breach sweep and the battle-map summary.',
  });
});
