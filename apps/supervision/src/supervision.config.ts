import { readServiceConfig, type ServiceConfig } from '@edu/service';

export interface SupervisionSettings {
  /** Load the default jurisdictions and escalation policies into empty tables at start. */
  seedJurisdictions: boolean;
}

export type SupervisionConfig = ServiceConfig & SupervisionSettings;

export const SUPERVISION_CONFIG = Symbol('SUPERVISION_CONFIG');

export function readSupervisionConfig(
  env: Record<string, string | undefined> = process.env,
): SupervisionConfig {
  return readServiceConfig('supervision', 3004, env, (r) => ({
    seedJurisdictions: r.bool('SEED_DEFAULTS', true),
  }));
}
