import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_CONFIG, type AuthConfig } from './auth.config.js';
import { AuthGuard } from './auth.guard.js';

@Module({})
export class AuthModule {
  /** Installs the guard on every route of the service. */
  static forRoot(config: AuthConfig): DynamicModule {
    return {
      module: AuthModule,
      global: true,
      providers: [
        { provide: AUTH_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
      exports: [AUTH_CONFIG],
    };
  }
}
