import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { AuthController } from './auth/auth.controller.js';
import { SessionStore } from './auth/session.js';
import { CONSOLE_CONFIG, type ConsoleConfig } from './console.config.js';

@Controller('health')
class HealthController {
  /** The console holds no state: it is ready when it listens (each service reports its own readiness). */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  ready() {
    return { status: 'ok' };
  }
}

@Module({})
export class ConsoleModule {
  static register(config: ConsoleConfig): DynamicModule {
    return {
      module: ConsoleModule,
      controllers: [AuthController, HealthController],
      providers: [{ provide: CONSOLE_CONFIG, useValue: config }, SessionStore],
    };
  }
}
