import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule, type Clock } from '@edu/service';
import { DirectoryModule } from './directory/directory.module.js';
import { EscalationModule } from './escalation/escalation.module.js';
import { migrations } from './migrations/index.js';
import { SUPERVISION_CONFIG, type SupervisionConfig } from './supervision.config.js';

@Module({})
class SettingsModule {}

@Module({})
export class AppModule {
  static register(config: SupervisionConfig, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot(config, { entities: [], migrations, clock: options.clock }),
        {
          module: SettingsModule,
          global: true,
          providers: [{ provide: SUPERVISION_CONFIG, useValue: config }],
          exports: [SUPERVISION_CONFIG],
        },
        DirectoryModule,
        EscalationModule,
      ],
    };
  }
}
