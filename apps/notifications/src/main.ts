import 'reflect-metadata';
import { bootstrapService, runService } from '@edu/service';
import { AppModule } from './app.module.js';
import { migrations } from './migrations/index.js';
import { readNotificationsConfig } from './notifications.config.js';

runService(async () => {
  const config = readNotificationsConfig();
  await bootstrapService({
    config,
    module: AppModule.register(config),
    migrations,
    title: 'notifications',
    description:
      'Notices to officials by SMS (SMPP) and email (SMTP): templates, delivery attempts, retries, receipts.',
  });
});
