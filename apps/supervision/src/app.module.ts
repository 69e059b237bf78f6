import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceCoreModule, type Clock } from '@edu/service';
import { BattleMapModule } from './battle-map/battle-map.module.js';
import { CalendarModule } from './calendar/calendar.module.js';
import { DirectoryModule } from './directory/directory.module.js';
import { EscalationModule } from './escalation/escalation.module.js';
import { InterviewModule } from './interview/interview.module.js';
import { RectificationModule } from './rectification/rectification.module.js';
import { ResponsibilityModule } from './responsibility/responsibility.module.js';
import { migrations } from './migrations/index.js';
import { SUPERVISION_CONFIG, type SupervisionConfig } from './supervision.config.js';
import { WorkTeamModule } from './work-team/work-team.module.js';

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
        ResponsibilityModule,
        CalendarModule,
        EscalationModule,
        InterviewModule,
        RectificationModule,
        BattleMapModule,
        WorkTeamModule,
      ],
    };
  }
}
