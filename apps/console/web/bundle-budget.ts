import { gzipSync } from 'node:zlib';

/** What the battle map may cost on first load: compressed JavaScript, in bytes. */
export const BATTLE_MAP_BUDGET = 300 * 1024;

export interface ChunkInfo {
  fileName: string;
  code: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  /** Static imports (file names). */
  imports: string[];
  /** Dynamic imports (file names). */
  dynamicImports: string[];
}

export interface BudgetReport {
  budgetBytes: number;
  battleMap: { files: string[]; rawBytes: number; gzipBytes: number };
  chunks: { file: string; rawBytes: number; gzipBytes: number }[];
}

const gz = (code: string) => gzipSync(Buffer.from(code), { level: 9 }).length;

/**
 * The JavaScript a first visit to the battle map loads: the entry and everything it imports
 * statically, plus each chunk the page loads as it renders (the page itself and its chart)
 * with everything those import statically.
 */
export function battleMapFirstLoad(chunks: ChunkInfo[], loaded: RegExp[]): BudgetReport {
  const byName = new Map(chunks.map((c) => [c.fileName, c]));
  const files = new Set<string>();
  const visit = (name: string) => {
    const c = byName.get(name);
    if (!c || files.has(name)) return;
    files.add(name);
    for (const i of c.imports) visit(i);
  };
  const entry = chunks.find((c) => c.isEntry);
  if (!entry) throw new Error('no entry chunk');
  visit(entry.fileName);
  for (const module of loaded) {
    const chunk = chunks.find((c) => c.facadeModuleId !== null && module.test(c.facadeModuleId));
    if (!chunk) throw new Error(`no chunk for ${String(module)}`);
    visit(chunk.fileName);
  }
  const sizes = chunks.map((c) => ({ file: c.fileName, rawBytes: c.code.length, gzipBytes: gz(c.code) }));
  const first = sizes.filter((s) => files.has(s.file));
  return {
    budgetBytes: BATTLE_MAP_BUDGET,
    battleMap: {
      files: first.map((s) => s.file),
      rawBytes: first.reduce((n, s) => n + Buffer.byteLength(byName.get(s.file)?.code ?? ''), 0),
      gzipBytes: first.reduce((n, s) => n + s.gzipBytes, 0),
    },
    chunks: sizes.sort((a, b) => b.gzipBytes - a.gzipBytes),
  };
}
