import type { Principal } from '@edu/auth';
import { maskResidentId } from '@edu/contracts';
import type { ExportColumn } from '@edu/imports';
import type { DropoutCase } from '../domain/dropout-case.js';
import { SEES_NAMES } from './dto/dropout-case.dto.js';

/** The ledger's columns in an export: ID numbers masked; names and reasons only for case workers. */
export function caseExportColumns(viewer: Principal, today: string): ExportColumn<DropoutCase>[] {
  const sees = SEES_NAMES.has(viewer.role);
  const columns: (ExportColumn<DropoutCase> | false)[] = [
    { header: 'case_id', width: 38, value: (c) => c.state.id },
    { header: 'id_number', width: 20, value: (c) => maskResidentId(c.state.studentIdNumber) },
    sees && { header: 'name', value: (c) => c.state.name },
    { header: 'county_code', value: (c) => c.state.countyCode },
    { header: 'school_code', value: (c) => c.state.schoolCode },
    { header: 'household_id', value: (c) => c.state.householdId },
    { header: 'township', value: (c) => c.state.township },
    { header: 'village', value: (c) => c.state.village },
    { header: 'source', value: (c) => c.state.source },
    { header: 'finding', value: (c) => c.state.finding },
    sees && { header: 'reason', value: (c) => c.state.reason },
    sees && { header: 'expected_placement', value: (c) => c.expectedPlacement },
    { header: 'state', value: (c) => c.state.state },
    { header: 'deadline', value: (c) => c.state.deadline },
    {
      header: 'overdue',
      value: (c) => c.state.state !== 'closed' && c.state.deadline !== null && c.state.deadline < today,
    },
    { header: 'attempts_in_cycle', value: (c) => c.state.attemptsInCycle },
    { header: 'resolution', value: (c) => c.state.resolution },
    { header: 'resolution_school_code', value: (c) => c.state.resolutionSchoolCode },
    { header: 'reopen_count', value: (c) => c.state.reopenCount },
    { header: 'opened_at', value: (c) => c.state.openedAt },
    { header: 'resolved_at', value: (c) => c.state.resolvedAt },
    { header: 'closed_at', value: (c) => c.state.closedAt },
  ];
  return columns.filter((c): c is ExportColumn<DropoutCase> => c !== false);
}
