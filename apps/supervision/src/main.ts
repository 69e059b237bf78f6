import 'reflect-metadata';
import { bootstrapService, runService } from '@edu/service';
import { AppModule } from './app.module.js';
import { migrations } from './migrations/index.js';
import { readSupervisionConfig } from './supervision.config.js';

runService(async () => {
  const config = readSupervisionConfig();
  await bootstrapService({
    config,
    module: AppModule.register(config),
    migrations,
    title: 'supervision',
    description: 'Officials and responsibility, escalations (督办 → 约谈 → 追责问责建议) and their notices.',
  });
});
