export * from './audit-finish.middleware.js';
export * from './audit-log.js';
export * from './audit-mask.js';
export * from './audit-trail.js';
export * from './audit.controller.js';
export * from './audit.interceptor.js';
export * from './audit.module.js';
export * from './migrations/1764500000000-audit-log.js';
