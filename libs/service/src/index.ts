export * from './bootstrap.js';
export * from './clock.js';
export * from './domain-error.filter.js';
export * from './env.js';
export * from './service-core.module.js';
export * from './service.config.js';
export * from './validation.js';
export * from './periodic-task.js';
