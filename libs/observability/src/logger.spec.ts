import { jest } from '@jest/globals';
import { RedactingLogger } from './logger.js';

describe('RedactingLogger', () => {
  it('never prints a resident ID number, in messages, objects or errors', () => {
    const written: string[] = [];
    const out = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation((s) => (written.push(String(s)), true));
    const err = jest
      .spyOn(process.stderr, 'write')
      .mockImplementation((s) => (written.push(String(s)), true));
    try {
      const logger = new RedactingLogger('test', 'verbose');
      const id = '11010519491231002X';
      logger.log(`student ${id} enrolled`);
      logger.warn({ idNumber: id });
      logger.error(new Error(`bad row ${id}`));
      logger.debug(`lower ${id.toLowerCase()}`);
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const all = written.join('');
    expect(written.length).toBeGreaterThanOrEqual(4);
    expect(all).not.toMatch(/11010519491231002/);
    expect(all).toContain('[id-redacted]');
  });
});
