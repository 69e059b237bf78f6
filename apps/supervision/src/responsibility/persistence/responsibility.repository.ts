import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { SupervisedFront } from '../../directory/domain/front.js';
import type { ResponsibilityEntry } from '../domain/responsibility.js';

interface EntryRow {
  county_code: string;
  front: SupervisedFront;
  lead_department: string | null;
  responsible_official_id: string | null;
  bureau_head_official_id: string | null;
  party_committee_official_id: string | null;
}

const toEntry = (r: EntryRow): ResponsibilityEntry => ({
  countyCode: r.county_code,
  front: r.front,
  leadDepartment: r.lead_department,
  responsibleOfficialId: r.responsible_official_id,
  bureauHeadOfficialId: r.bureau_head_official_id,
  partyCommitteeOfficialId: r.party_committee_official_id,
});

@Injectable()
export class ResponsibilityRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The matrix rows of these jurisdictions (all when none given). */
  async entries(
    em: EntityManager = this.dataSource.manager,
    counties?: string[],
  ): Promise<ResponsibilityEntry[]> {
    const rows: EntryRow[] = counties
      ? await em.query(
          'SELECT * FROM responsibility_entry WHERE county_code = ANY($1::char(6)[]) ORDER BY county_code, front',
          [counties],
        )
      : await em.query('SELECT * FROM responsibility_entry ORDER BY county_code, front');
    return rows.map(toEntry);
  }

  async upsert(em: EntityManager, entries: ResponsibilityEntry[], by: string): Promise<void> {
    if (entries.length === 0) return;
    const col = <K extends keyof ResponsibilityEntry>(k: K) => entries.map((e) => e[k]);
    await em.query(
      `INSERT INTO responsibility_entry (county_code, front, lead_department, responsible_official_id,
         bureau_head_official_id, party_committee_official_id, updated_by)
       SELECT u.*, $7 FROM unnest($1::char(6)[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS u
       ON CONFLICT (county_code, front) DO UPDATE SET lead_department = EXCLUDED.lead_department,
         responsible_official_id = EXCLUDED.responsible_official_id,
         bureau_head_official_id = EXCLUDED.bureau_head_official_id,
         party_committee_official_id = EXCLUDED.party_committee_official_id,
         updated_by = EXCLUDED.updated_by, updated_at = now()`,
      [
        col('countyCode'),
        col('front'),
        col('leadDepartment'),
        col('responsibleOfficialId'),
        col('bureauHeadOfficialId'),
        col('partyCommitteeOfficialId'),
        by,
      ],
    );
  }
}
