import type { CopyValue, ImportKind, RowProblem } from '@edu/imports';
import { parsePovertyRow, POVERTY_COLUMNS, type PovertyMember } from '../domain/registry-rows.js';
import { DuplicateScreen } from './duplicate-screen.js';
import { applyRegistry, directTarget, ID_STAGING_TYPE } from './registry-apply.js';
import { povertyRowEncoder } from './registry-row-encoder.js';

/** The poverty registry file: one row per household member, keyed by ID number. One instance per import. */
export function povertyRegistryImport(cityCode: string): ImportKind<PovertyMember> {
  const repeats = new DuplicateScreen();
  const columns = POVERTY_COLUMNS.filter((c) => c !== 'id_number');
  /** The values of the row being written (`toRow`), reused from row to row. */
  const row: CopyValue[] = [];
  return {
    kind: 'poverty-registry',
    columns: POVERTY_COLUMNS,
    staging: [
      { name: 'id_number', type: ID_STAGING_TYPE },
      { name: 'household_id', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'birth_date', type: 'date' },
      { name: 'county_code', type: 'char(6)' },
      { name: 'township', type: 'text' },
      { name: 'village', type: 'text' },
      { name: 'poverty_status', type: 'text' },
      { name: 'orphan', type: 'boolean' },
      { name: 'disability_level', type: 'text' },
      { name: 'relocation_site_code', type: 'text' },
    ],
    parse(record, line, ctx) {
      const parsed = parsePovertyRow(record, { cityCode, scope: ctx.scope });
      if (Array.isArray(parsed)) return parsed.map((p): RowProblem => ({ line, ...p }));
      repeats.add(parsed.idNumber);
      return parsed;
    },
    toRow: (m) => {
      // One array for every row (COPY takes each line before the next row is read).
      row[0] = m.idNumber;
      row[1] = m.householdId;
      row[2] = m.name;
      row[3] = m.birthDate;
      row[4] = m.countyCode;
      row[5] = m.township;
      row[6] = m.village;
      row[7] = m.povertyStatus;
      row[8] = m.orphan;
      row[9] = m.disabilityLevel;
      row[10] = m.relocationSiteCode;
      return row;
    },
    encoder: (header, ctx) =>
      povertyRowEncoder(header, {
        rules: { cityCode, scope: ctx.scope },
        repeats,
      }),
    direct: (em, ctx) => directTarget(em, 'poverty_member', columns, ctx.importId),
    apply: (em, ctx) =>
      applyRegistry(em, ctx, {
        table: 'poverty_member',
        columns,
        repeatCandidates: repeats.candidates(),
      }),
  };
}
