import { Readable } from 'node:stream';
import type { Principal } from '@edu/auth';
import { RateLimiter } from '@edu/service';
import { bootService, type RunningService } from './support/services.js';
import { idNumber } from './support/suite.js';
import { xlsxBomb } from './support/zip-bomb.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const admin: Principal = { sub: 'admin', role: 'city_admin' };
const MILESTONES = ['approval', 'tender', 'ground_breaking', 'structure_complete', 'acceptance', 'in_use'];
const HEADER = ['code', 'name', 'kind', 'county_code', ...MILESTONES.map((m) => `${m}_planned`)].join(',');
const row = (i: number) =>
  [
    `P-${i}`,
    `学校${i}`,
    'renovation_expansion',
    '150821',
    ...MILESTONES.map((_, m) => `2021-0${3 + m}-15`),
  ].join(',');

describe('HTTP limits: security headers, body and upload caps, row caps, rate limit', () => {
  let svc: RunningService;

  beforeAll(async () => {
    svc = await bootService('school-construction', {
      UPLOAD_MAX_BYTES: '4096',
      HTTP_BODY_LIMIT_BYTES: '2048',
      RATE_LIMIT_PER_MINUTE: '60',
      RATE_LIMIT_BURST: '40',
    });
  });
  afterAll(() => svc?.close());

  it('sends the security headers on API answers, and a looser policy only for the OpenAPI viewer', async () => {
    const api = await svc.call('GET', '/api/projects', admin);
    expect(api.status).toBe(200);
    expect(Object.fromEntries(api.headers)).toMatchObject({
      'content-security-policy': expect.stringContaining("default-src 'none'"),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'strict-transport-security': expect.stringContaining('max-age='),
      'cross-origin-resource-policy': 'same-origin',
      'cache-control': 'no-store',
      'x-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(api.headers.get('x-powered-by')).toBeNull();
    const docs = await svc.call('GET', '/api/docs');
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-security-policy')).toContain("script-src 'self'");
    // A proxy's request id is kept when it is well-formed, replaced when it is not.
    const traced = await svc.call('GET', '/health/live', undefined, undefined, {
      'x-request-id': 'edge-1234-abcd',
    });
    expect(traced.headers.get('x-request-id')).toBe('edge-1234-abcd');
    const forged = await svc.call('GET', '/health/live', undefined, undefined, {
      'x-request-id': 'two words; and more',
    });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a JSON body over HTTP_BODY_LIMIT_BYTES with 413', async () => {
    const res = await svc.call('POST', '/api/projects', admin, { name: 'x'.repeat(3000) });
    expect(res.status).toBe(413);
  });

  it('refuses an upload over UPLOAD_MAX_BYTES: at once when its length is declared, and when it streams past the cap', async () => {
    const big = [HEADER, ...Array.from({ length: 60 }, (_, i) => row(i))].join('\n');
    expect(Buffer.byteLength(big)).toBeGreaterThan(4096);
    const declared = await svc.call('POST', '/api/projects/import', admin, big, {
      'content-type': 'text/csv',
    });
    expect(declared.status).toBe(413);
    // Chunked, with no length: read until the cap, then refused; nothing of it stored.
    const res = await fetch(`${svc.url}/api/projects/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await svc.token(admin)}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(Readable.from([Buffer.from(big)])) as ReadableStream,
      duplex: 'half',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: 'UPLOAD_TOO_LARGE',
      message: 'the file is larger than 4096 bytes',
    });
    expect(await svc.sql("SELECT count(*)::int AS n FROM project WHERE code LIKE 'P-%'")).toEqual([{ n: 0 }]);
  });

  it('refuses bodies that are not JSON, CSV or XLSX, before reading them', async () => {
    const xml = await svc.call('POST', '/api/projects', admin, '<project/>', {
      'content-type': 'application/xml',
    });
    expect(xml.status).toBe(415);
  });

  it('limits each client to its burst, then to the rate, with Retry-After; probes are never limited', async () => {
    let first429: Response | undefined;
    let sent = 0;
    const token = await svc.token(admin);
    while (!first429 && sent < 100) {
      const res = await fetch(`${svc.url}/api/summary`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      sent++;
      if (res.status === 429) first429 = res;
    }
    expect(first429).toBeDefined();
    // The burst of 40, less what the earlier tests of this file spent.
    expect(sent).toBeLessThanOrEqual(41);
    expect(Number(first429!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await svc.call('GET', '/health/live')).status).toBe(200);
    expect((await svc.call('GET', '/metrics')).status).toBe(200);
  });
});

describe('RateLimiter', () => {
  it('refills at the rate, up to the burst', () => {
    let now = 0;
    const limiter = new RateLimiter(60, 3, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([0, 0, 0, 1]);
    expect(limiter.take('b')).toBe(0);
    now += 1000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(1);
    now += 60_000;
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([0, 0, 0, 1]);
  });
});

describe('row caps per import', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await bootService('dropout-control', { IMPORT_MAX_ROWS: '3' });
  });
  afterAll(() => svc?.close());

  it('refuses a registry file with more rows than IMPORT_MAX_ROWS, storing none of them', async () => {
    const header =
      'household_id,id_number,name,birth_date,county_code,township,village,poverty_status,orphan,disability_level,relocation_site_code';
    const lines = [1, 2, 3, 4].map((i) => {
      const id = idNumber('150821', '20110101', i);
      return `H${i},${id},孩子${i},2011-01-01,150821,镇,村,registered_poor,否,none,`;
    });
    const res = await svc.call('POST', '/api/registry/poverty/import', admin, [header, ...lines].join('\n'), {
      'content-type': 'text/csv',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: 'IMPORT_TOO_MANY_ROWS',
      message: 'the file has more than 3 rows',
    });
    expect(await svc.sql('SELECT count(*)::int AS n FROM poverty_member')).toEqual([{ n: 0 }]);
  });

  it('refuses a zip-bomb XLSX with 400 and the reason, having unpacked no more than the limits allow', async () => {
    const res = await svc.call('POST', '/api/registry/students/import', admin, xlsxBomb(), {
      'content-type': XLSX,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'IMPORT_XLSX_TOO_EXPANSIVE' });
    expect(res.body.message).toMatch(/xl\/worksheets\/sheet1\.xml unpacks more than 200 times its size/);
  });
});

describe('supervision uploads', () => {
  let svc: RunningService;
  beforeAll(async () => {
    svc = await bootService('supervision', { UPLOAD_MAX_BYTES: '262144' });
  });
  afterAll(() => svc?.close());

  it('caps a streamed CSV body and refuses a zip-bomb XLSX ledger, both with 400 and nothing stored', async () => {
    const rows = Array.from({ length: 8000 }, (_, i) => `M${i},成员${i},150821,村,member,2020-06-01,`);
    const csv = ['member_id,name,county_code,village,role,posted_from,posted_until', ...rows].join('\n');
    const streamed = await fetch(`${svc.url}/api/work-teams/members/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await svc.token(admin)}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(Readable.from([Buffer.from(csv)])) as ReadableStream,
      duplex: 'half',
    });
    expect(streamed.status).toBe(400);
    expect(await streamed.json()).toMatchObject({ error: 'UPLOAD_TOO_LARGE' });
    expect(await svc.sql('SELECT count(*)::int AS n FROM work_team_member')).toEqual([{ n: 0 }]);
    const bomb = await svc.call('POST', '/api/rectification/problems/import', admin, xlsxBomb(), {
      'content-type': XLSX,
    });
    expect(bomb.status).toBe(400);
    expect(bomb.body).toMatchObject({ error: 'IMPORT_XLSX_TOO_EXPANSIVE' });
    expect(await svc.sql('SELECT count(*)::int AS n FROM rectification_problem')).toEqual([{ n: 0 }]);
  });
});
