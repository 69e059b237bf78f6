import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule, type Clock } from '@edu/service';
import { EntitlementModule } from './entitlement/entitlement.module.js';
import { EntitlementEntity, PaymentEntity } from './entitlement/persistence/entitlement.entity.js';
import { migrations } from './migrations/index.js';
import { STUDENT_AID_CONFIG, type StudentAidConfig } from './student-aid.config.js';

@Module({})
export class AppModule {
  static register(config: StudentAidConfig, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot(config, {
          entities: [EntitlementEntity, PaymentEntity],
          migrations,
          clock: options.clock,
        }),
        {
          module: SettingsModule,
          global: true,
          providers: [{ provide: STUDENT_AID_CONFIG, useValue: config }],
          exports: [STUDENT_AID_CONFIG],
        },
        EntitlementModule,
      ],
    };
  }
}

@Module({})
class SettingsModule {}
