import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import { battleMapFirstLoad, BATTLE_MAP_BUDGET, type ChunkInfo } from './bundle-budget.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(here, '../../../dist/console/public');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

/**
 * Checks the battle map's first-load JavaScript against its budget (the build fails above
 * it), writes the figures to bundle-report.json, and gzips every text asset beside itself
 * so the console serves them compressed without compressing on each request.
 */
function budgetAndCompress(): Plugin {
  return {
    name: 'console-budget-and-compress',
    apply: 'build',
    writeBundle(_options, bundle) {
      const chunks: ChunkInfo[] = Object.values(bundle).flatMap((o) =>
        o.type === 'chunk'
          ? [
              {
                fileName: o.fileName,
                code: o.code,
                isEntry: o.isEntry,
                facadeModuleId: o.facadeModuleId,
                imports: o.imports,
                dynamicImports: o.dynamicImports,
              },
            ]
          : [],
      );
      const report = battleMapFirstLoad(chunks, [/pages[\\/]battle-map\.tsx$/, /charts[\\/]echart\.tsx$/]);
      writeFileSync(join(outDir, 'bundle-report.json'), JSON.stringify(report, null, 2));
      const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
      process.stdout.write(
        `battle map first load: ${kb(report.battleMap.gzipBytes)} gzip JavaScript ` +
          `(${kb(report.battleMap.rawBytes)} raw, ${report.battleMap.files.length} files; budget ${kb(BATTLE_MAP_BUDGET)})\n`,
      );
      if (report.battleMap.gzipBytes > BATTLE_MAP_BUDGET)
        this.error(`the battle map's first load is over budget: ${kb(report.battleMap.gzipBytes)}`);
      for (const f of files(outDir))
        if (/\.(js|css|html|svg|json)$/.test(f))
          writeFileSync(`${f}.gz`, gzipSync(readFileSync(f), { level: 9 }));
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic' } },
  plugins: [budgetAndCompress()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 1024,
    // On a shared machine the build's own timing report is noise.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
  server: {
    // `npm run console:dev`: the API through the console server (npm start runs it on 3006).
    proxy: { '/api': 'http://127.0.0.1:3006', '/auth': 'http://127.0.0.1:3006' },
  },
});
