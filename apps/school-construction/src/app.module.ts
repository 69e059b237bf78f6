import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule, type Clock } from '@edu/service';
import { migrations } from './migrations/index.js';
import { PROJECT_ENTITIES } from './project/persistence/project.entity.js';
import { ProjectModule } from './project/project.module.js';
import { SCHOOL_CONSTRUCTION_CONFIG, type SchoolConstructionConfig } from './school-construction.config.js';
import { SummaryModule } from './summary/summary.module.js';

@Module({})
export class AppModule {
  static register(config: SchoolConstructionConfig, options: { clock?: Clock } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceCoreModule.forRoot(config, {
          entities: PROJECT_ENTITIES,
          migrations,
          clock: options.clock,
        }),
        {
          module: SettingsModule,
          global: true,
          providers: [{ provide: SCHOOL_CONSTRUCTION_CONFIG, useValue: config }],
          exports: [SCHOOL_CONSTRUCTION_CONFIG],
        },
        ProjectModule,
        SummaryModule,
      ],
    };
  }
}

@Module({})
class SettingsModule {}
