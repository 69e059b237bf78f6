export * from './test-database.js';
export * from './test-broker.js';
export * from './wait-for.js';
export * from './test-service.js';
