import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { entryOf } from '../../scripts/services.js';

const run = promisify(execFile);

describe('configuration is validated at boot', () => {
  it('a service with bad variables exits 1, naming each of them and echoing no secret', async () => {
    const failure = await run(process.execPath, [entryOf('student-aid')], {
      env: {
        ...process.env,
        PORT: 'eighty',
        AMQP_URLS: 'http://guest:hunter2@127.0.0.1:5672',
        SWEEP_INTERVAL_MS: '-5',
        NODE_ENV: 'production',
      },
      timeout: 30000,
    }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure).not.toBeNull();
    expect(failure?.code).toBe(1);
    const stderr = failure?.stderr ?? '';
    expect(stderr).toMatch(/PORT must be a whole number/);
    expect(stderr).toMatch(/AMQP_URLS must be/);
    expect(stderr).toMatch(/SWEEP_INTERVAL_MS must be a whole number/);
    expect(stderr).toMatch(/JWT_JWKS_URL must be set in production/);
    expect(stderr).not.toContain('hunter2');
  });

  it('npm run token refuses a county operator without a county', async () => {
    const failure = await run(process.execPath, ['dist/scripts/token.js', '--role', 'county_operator']).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failure?.code).toBe(2);
    expect(failure?.stderr).toMatch(/--county must be a 6-digit county code/);
  });
});
