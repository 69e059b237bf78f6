import 'reflect-metadata';
import { bootstrapService, runService } from '@edu/service';
import { AppModule } from './app.module.js';
import { migrations } from './migrations/index.js';
import { readStudentAidConfig } from './student-aid.config.js';

runService(async () => {
  const config = readStudentAidConfig();
  await bootstrapService({
    config,
    module: AppModule.register(config),
    migrations,
    title: 'student-aid',
    description: 'Entitlements per term, payments, and the unpaid-subsidy sweep (学生资助).',
  });
});
