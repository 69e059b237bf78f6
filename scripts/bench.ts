import 'reflect-metadata';
import { readdirSync } from 'node:fs';

/**
 * `npm run bench -- <name> [args...]` runs bench/<name>.bench.ts (compiled), whose default
 * export takes the remaining arguments. Benchmarks measure a baseline in the same run and
 * report ratios; they are not part of `npm test` or CI.
 */
const benchDir = new URL('../bench/', import.meta.url);
let files: string[] = [];
try {
  files = readdirSync(benchDir);
} catch {
  // no benchmark compiled yet
}
const available = files.filter((f) => f.endsWith('.bench.js')).map((f) => f.replace(/\.bench\.js$/, ''));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}> [args]\n`);
  process.exit(2);
}
const bench = (await import(new URL(`${name}.bench.js`, benchDir).href)) as {
  default: (args: string[]) => Promise<void>;
};
await bench.default(args);
process.exit(0);
