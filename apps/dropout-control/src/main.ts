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
      'Dropout control (控辍保学): student and poverty registry imports, the cross-check and its ledgers, ' +
      'relocation-site demand, the case ledger (household and student plans, persuasion, placement, home ' +
      'teaching, maker-checker closing), state deadlines and the overdue sweep.',
  });
});
