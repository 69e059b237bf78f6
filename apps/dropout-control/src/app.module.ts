import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule, type Clock } from '@edu/service';
import { CrosscheckModule } from './crosscheck/crosscheck.module.js';
import { DropoutCaseModule } from './dropout-case/dropout-case.module.js';
import { DropoutCaseEntity } from './dropout-case/persistence/dropout-case.entity.js';
import { DROPOUT_CONTROL_CONFIG, type DropoutControlConfig } from './dropout-control.config.js';
import { HomeTeachingModule } from './home-teaching/home-teaching.module.js';
import { HouseholdModule } from './household/household.module.js';
import { migrations } from './migrations/index.js';
import { RegistryModule } from './registry/registry.module.js';

@Module({})
export class AppModule {
  static register(config: DropoutControlConfig, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot(config, {
          entities: [DropoutCaseEntity],
          migrations,
          clock: options.clock,
        }),
        {
          module: SettingsModule,
          global: true,
          providers: [{ provide: DROPOUT_CONTROL_CONFIG, useValue: config }],
          exports: [DROPOUT_CONTROL_CONFIG],
        },
        DropoutCaseModule,
        CrosscheckModule,
        RegistryModule,
        HouseholdModule,
        HomeTeachingModule,
      ],
    };
  }
}

@Module({})
class SettingsModule {}
