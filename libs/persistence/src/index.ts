export * from './database.js';
export * from './migrate.js';
export * from './naming.js';
export * from './transaction.js';
export * from './runtime-role.js';
export * from './statement-cache.js';
export * from './prepared.js';
