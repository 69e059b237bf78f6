export * from './auth.config.js';
export * from './auth.guard.js';
export * from './auth.module.js';
export * from './county-scope.js';
export * from './decorators.js';
export * from './roles.js';
export * from './tokens.js';
