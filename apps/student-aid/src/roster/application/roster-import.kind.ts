import { Inject, Injectable } from '@nestjs/common';
import type { ImportKind } from '@edu/imports';
import { SERVICE_CONFIG, type ServiceConfig } from '@edu/service';
import { FLAG_ATTRIBUTES } from '../../policy/domain/rules.js';
import { parseRosterRow, ROSTER_COLUMNS, type RosterStudent } from '../domain/roster-row.js';
import { RosterRepository } from '../persistence/roster.repository.js';

/** The aid roster as an import: validated rows staged, then upserted by studentKey in one statement. */
@Injectable()
export class RosterImportKind implements ImportKind<RosterStudent> {
  readonly kind = 'aid-roster';
  readonly columns = ROSTER_COLUMNS;
  readonly staging = [
    { name: 'student_key', type: 'char(64)' },
    { name: 'id_masked', type: 'text' },
    { name: 'name', type: 'text' },
    { name: 'county_code', type: 'char(6)' },
    { name: 'school_code', type: 'text' },
    { name: 'stage', type: 'text' },
    { name: 'grade', type: 'smallint' },
    ...FLAG_ATTRIBUTES.map((f) => ({ name: f, type: 'boolean' })),
    { name: 'disability_level', type: 'smallint' },
    { name: 'term_fee_fen', type: 'bigint' },
  ];
  readonly apply: ImportKind<RosterStudent>['apply'];

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    roster: RosterRepository,
  ) {
    this.apply = (em, ctx) => roster.applyImport(em, ctx);
  }

  parse(record: Record<string, string>, line: number, ctx: { scope: string | undefined }) {
    return parseRosterRow(record, line, this.config.studentKeySecret, ctx.scope);
  }

  toRow(s: RosterStudent) {
    return [
      s.studentKey,
      s.idMasked,
      s.name,
      s.countyCode,
      s.schoolCode,
      s.stage,
      s.grade,
      ...FLAG_ATTRIBUTES.map((f) => (s.flags[f] ? 't' : 'f')),
      s.disabilityLevel,
      s.termFeeFen,
    ];
  }
}
