import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule, type Clock } from '@edu/service';
import { EntitlementModule } from './entitlement/entitlement.module.js';
import { EntitlementEntity, PaymentEntity } from './entitlement/persistence/entitlement.entity.js';
import { migrations } from './migrations/index.js';
import { PolicyModule } from './policy/policy.module.js';
import { ReconciliationModule } from './reconciliation/reconciliation.module.js';
import { ReportModule } from './report/report.module.js';
import { RosterModule } from './roster/roster.module.js';
import { STUDENT_AID_CONFIG, type StudentAidConfig } from './student-aid.config.js';

@Module({})
export class AppModule {
  /** `relay: false` leaves publishing to other replicas (the benchmark writes the outbox only). */
  static register(config: StudentAidConfig, options: { clock?: Clock; relay?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot(config, {
          entities: [EntitlementEntity, PaymentEntity],
          migrations,
          clock: options.clock,
          relay: options.relay,
        }),
        {
          module: SettingsModule,
          global: true,
          providers: [{ provide: STUDENT_AID_CONFIG, useValue: config }],
          exports: [STUDENT_AID_CONFIG],
        },
        PolicyModule,
        RosterModule,
        EntitlementModule,
        ReconciliationModule,
        ReportModule,
      ],
    };
  }
}

@Module({})
class SettingsModule {}
