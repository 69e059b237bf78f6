import { upstreamPath } from './upstream-path.js';

describe('upstreamPath', () => {
  it('maps /api/<service>/… to the service /api/…, query kept', () => {
    expect(upstreamPath('/api/supervision/escalations?county=150821')).toEqual({
      service: 'supervision',
      path: '/api/escalations?county=150821',
    });
    expect(upstreamPath('/api/dropout-control/cases/abc/history')).toEqual({
      service: 'dropout-control',
      path: '/api/cases/abc/history',
    });
  });

  it('refuses unknown services and paths that climb out of /api', () => {
    expect(upstreamPath('/api/billing/x')).toBeNull();
    expect(upstreamPath('/api/supervision/../metrics')).toBeNull();
    expect(upstreamPath('/api/supervision/%2e%2e/metrics')).toBeNull();
    expect(upstreamPath('/api/supervision/a/%2E%2E/%2E%2E/health')).toBeNull();
    expect(upstreamPath('/api/supervision/%zz')).toBeNull();
    expect(upstreamPath('/health/live')).toBeNull();
  });
});
