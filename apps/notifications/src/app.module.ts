import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule, type Clock } from '@edu/service';
import { migrations } from './migrations/index.js';
import { NotificationModule } from './notification/notification.module.js';
import { NOTIFICATION_ENTITIES } from './notification/persistence/notification.entity.js';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from './notifications.config.js';

@Module({})
export class AppModule {
  static register(config: NotificationsConfig, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot(config, {
          entities: NOTIFICATION_ENTITIES,
          migrations,
          clock: options.clock,
        }),
        {
          module: SettingsModule,
          global: true,
          providers: [{ provide: NOTIFICATIONS_CONFIG, useValue: config }],
          exports: [NOTIFICATIONS_CONFIG],
        },
        NotificationModule,
      ],
    };
  }
}

@Module({})
class SettingsModule {}
