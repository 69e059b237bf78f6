import 'reflect-metadata';
import { jest } from '@jest/globals';
import {
  Body,
  Controller,
  Get,
  Logger,
  Module,
  Param,
  Post,
  Query,
  type INestApplication,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import pg from 'pg';
import { residentIdCheckChar } from '@edu/contracts';
import { RedactingLogger } from '@edu/observability';
import { configureApp, DEFAULT_HTTP_SETTINGS } from '@edu/service';
import { TEST_DATABASE_URL } from '@edu/testing';
import { ensureDatabase } from '@edu/persistence';

/*
 * Known resident ID numbers and children's names fed through every way a line reaches the log:
 * the RedactingLogger itself, Nest's Logger (static and per class), the exception filter's
 * output for an unexpected error (including a real Postgres error quoting the value), body
 * parser and URI errors, and the request log. None of them may print the number or the name.
 */
const first17 = '15082120120315456';
const ID = first17 + residentIdCheckChar(first17);
const ID_LOWER_X = '11010519491231002x';
const NAME = '张小明';
const NAME2 = '乌云其木格';

@Controller('api/leaky')
class LeakyController {
  private readonly logger = new Logger(LeakyController.name);

  @Post('students')
  open(@Body() body: Record<string, unknown>) {
    // A careless handler: logs the whole body, then fails with the values in the message.
    this.logger.log(body);
    this.logger.warn({
      student: { name: body.name, idNumber: body.idNumber },
      note: `for ${String(body.idNumber)}`,
    });
    throw new Error(`cannot enrol "${String(body.name)}" (${String(body.idNumber)})`);
  }

  @Get('students/:id')
  async get(@Param('id') id: string, @Query('name') name?: string) {
    Logger.log(`looking up ${id} named "${name}"`, 'static');
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    try {
      // Postgres quotes the offending value in its message: invalid input syntax for type uuid: "…"
      await client.query('SELECT $1::uuid', [name]);
    } finally {
      await client.end();
    }
    return {};
  }
}

@Module({ controllers: [LeakyController] })
class LeakyModule {}

describe('no resident ID number or child name reaches the log, by any path', () => {
  const written: string[] = [];
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    await ensureDatabase(TEST_DATABASE_URL);
    const capture = (s: unknown) => (written.push(String(s)), true);
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
    app = await NestFactory.create(LeakyModule, { logger: new RedactingLogger('leaky', 'verbose') });
    configureApp(app, DEFAULT_HTTP_SETTINGS, { logRequests: true });
    await app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
  });

  afterAll(async () => {
    await app?.close();
    jest.restoreAllMocks();
  });

  it('the RedactingLogger redacts messages, objects, errors and contexts', () => {
    const logger = new RedactingLogger('direct', 'verbose');
    logger.log(`student ${ID} enrolled`);
    logger.warn({ name: NAME, idNumber: ID, school: 'WY-01', nested: [{ studentName: NAME2 }] });
    logger.error(new Error(`bad row ${ID_LOWER_X}: value "${NAME}"`));
    logger.debug(`duplicate key: Key (name)=(${NAME2})`);
    logger.verbose({ rows: [{ name: 'Bayaer Tumen', id_number: '150802201203154' }] });
    logger.fatal(`student ${ID}`, `context ${ID}`);
    const out = written.join('');
    expect(out).toContain('[id-redacted]');
    expect(out).toContain('WY-01');
    expect(out).not.toContain('Bayaer');
    expect(out).not.toContain('150802201203154');
  });

  it('a request whose handler logs the body and throws with the values: 500 without them, logs without them', async () => {
    const res = await fetch(`${base}/api/leaky/students`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-redaction-0001' },
      body: JSON.stringify({ name: NAME, idNumber: ID, guardian: NAME2 }),
    });
    expect(res.status).toBe(500);
    expect(res.headers.get('x-request-id')).toBe('req-redaction-0001');
    const body = await res.text();
    expect(body).not.toContain(ID);
    expect(body).not.toContain(NAME);
    expect(JSON.parse(body)).toEqual({
      statusCode: 500,
      message: 'Internal server error',
      requestId: 'req-redaction-0001',
    });
    const out = written.join('');
    // The failure is logged, with its route pattern and request id …
    expect(out).toMatch(/POST \/api\/leaky\/students failed \[req-redaction-0001\]: Error: cannot enrol/);
    // … and the request line names the route, not the values.
    expect(out).toMatch(/"route":"\/api\/leaky\/students","status":500/);
  });

  it('a Postgres error quoting the name, with the ID number in the path and the name in the query', async () => {
    const res = await fetch(`${base}/api/leaky/students/${ID}?name=${encodeURIComponent(NAME)}`);
    expect(res.status).toBe(500);
    const out = written.join('');
    expect(out).toMatch(/invalid input syntax for type uuid: \\?"\[redacted\]\\?"/);
    expect(out).toMatch(/"route":"\/api\/leaky\/students\/:id","status":500/);
  });

  it('invalid JSON, an oversized body and a malformed path answer 4xx and log nothing of the input', async () => {
    const invalid = await fetch(`${base}/api/leaky/students`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"name":"${NAME}","idNumber":"${ID}",`,
    });
    expect(invalid.status).toBe(400);
    const huge = await fetch(`${base}/api/leaky/students`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: NAME,
        idNumber: ID,
        pad: 'x'.repeat(DEFAULT_HTTP_SETTINGS.bodyLimitBytes),
      }),
    });
    expect(huge.status).toBe(413);
    const malformed = await fetch(
      `${base}/api/leaky/students/${ID}%E0%A4%A?name=${encodeURIComponent(NAME2)}`,
    );
    expect(malformed.status).toBe(400);
  });

  it('nothing above printed an ID number or a name', () => {
    const out = written.join('');
    for (const secret of [ID, ID.slice(0, 17), ID_LOWER_X, NAME, NAME2]) expect(out).not.toContain(secret);
  });
});
