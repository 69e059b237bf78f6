export * from './health.js';
export * from './logger.js';
export * from './metrics.js';
export * from './redact.js';
