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
    description:
      'Policy catalogue, aid roster, entitlements per term (maker-checker), payment files, reconciliation and the timely-and-in-full report (学生资助).',
  });
});
