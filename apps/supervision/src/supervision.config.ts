import { DEFAULT_DOCUMENT_FONT, type DocumentFont } from '@edu/documents';
import { readServiceConfig, type ServiceConfig } from '@edu/service';

export interface SupervisionSettings {
  /** Load the default jurisdictions, escalation policies, calendar and map rules into empty tables at start. */
  seedJurisdictions: boolean;
  /** Period of the ladder, overdue-rectification, work-team and interview follow-up sweeps (0 = only on request). */
  sweepIntervalMs: number;
  /** The font with Chinese glyphs the generated documents (PDF) are set in. */
  documentFont: DocumentFont;
}

export type SupervisionConfig = ServiceConfig & SupervisionSettings;

export const SUPERVISION_CONFIG = Symbol('SUPERVISION_CONFIG');

export function readSupervisionConfig(
  env: Record<string, string | undefined> = process.env,
): SupervisionConfig {
  return readServiceConfig('supervision', 3004, env, (r) => {
    const fontPath = r.str('DOCUMENT_FONT_PATH', DEFAULT_DOCUMENT_FONT.path);
    // The default face belongs to the default collection; another font names its own (or none).
    const face =
      r.optional('DOCUMENT_FONT_FACE') ??
      (fontPath === DEFAULT_DOCUMENT_FONT.path ? DEFAULT_DOCUMENT_FONT.face : undefined);
    return {
      seedJurisdictions: r.bool('SEED_DEFAULTS', true),
      sweepIntervalMs: r.int('SWEEP_INTERVAL_MS', 60_000, 0, 86_400_000),
      documentFont: { path: fontPath, ...(face ? { face } : {}) },
    };
  });
}
