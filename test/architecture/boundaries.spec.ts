import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

/*
 * The dependency rules of STYLE.md, checked on every test run: domain code imports no
 * framework or infrastructure; apps never import each other; libs are entered by their
 * index only.
 */
const ROOT = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : files(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function imports(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  return [
    ...text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]);
}

const appFiles = files(join(ROOT, 'apps'));

describe('architecture boundaries', () => {
  it('finds the code it checks', () => {
    expect(appFiles.some((f) => f.includes('/domain/'))).toBe(true);
  });

  it('domain code imports no Nest, ORM, broker, HTTP or other layers', () => {
    const forbidden =
      /^(@nestjs\/|typeorm|amqplib|amqp-connection-manager|pg$|express|@edu\/(messaging|persistence|service|auth|observability)$)|\/(api|application|persistence|messaging)\//;
    const offences = appFiles
      .filter((f) => f.includes('/domain/') && !f.endsWith('.spec.ts'))
      .flatMap((f) =>
        imports(f)
          .filter((i) => forbidden.test(i))
          .map((i) => `${relative(ROOT, f)} imports ${i}`),
      );
    expect(offences).toEqual([]);
  });

  it('apps never import one another and enter libs only through their index', () => {
    const offences = appFiles.flatMap((f) => {
      const app = relative(join(ROOT, 'apps'), f).split('/')[0];
      return imports(f)
        .filter((i) => {
          if (/^@edu\/[^/]+\/.+/.test(i)) return true;
          if (!i.startsWith('.')) return false;
          const target = relative(ROOT, resolve(join(f, '..'), i));
          return (
            target.startsWith('libs/') || (target.startsWith('apps/') && !target.startsWith(`apps/${app}/`))
          );
        })
        .map((i) => `${relative(ROOT, f)} imports ${i}`);
    });
    expect(offences).toEqual([]);
  });
});
