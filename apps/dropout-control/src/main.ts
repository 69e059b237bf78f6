import 'reflect-metadata';
import { bootstrapService, runService } from '@edu/service';
import { AppModule } from './app.module.js';
import { readDropoutControlConfig } from './dropout-control.config.js';
import { migrations } from './migrations/index.js';

runService(async () => {
  const config = readDropoutControlConfig();
  await bootstrapService({
    config,
    module: AppModule.register(config),
    migrations,
    title: 'dropout-control',
    description:
      'The dropout case ledger (控辍保学): one case per child, state deadlines, the overdue sweep.',
  });
});
