import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import type { Jurisdiction } from '../domain/jurisdiction.js';
import type { Official } from '../domain/official.js';

interface OfficialRow {
  official_id: string;
  name: string;
  title: string;
  county_code: string;
  front: Official['front'];
  role: Official['role'];
  phone: string | null;
  email: string | null;
}

const toOfficial = (r: OfficialRow): Official => ({
  officialId: r.official_id,
  name: r.name,
  title: r.title,
  countyCode: r.county_code,
  front: r.front,
  role: r.role,
  phone: r.phone,
  email: r.email,
});

/** Jurisdictions and officials: who is responsible where. */
@Injectable()
export class DirectoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async jurisdictions(em: EntityManager = this.dataSource.manager): Promise<Jurisdiction[]> {
    const rows: { code: string; name: string; parent_code: string | null }[] = await em.query(
      'SELECT code, name, parent_code FROM jurisdiction ORDER BY code',
    );
    return rows.map((r) => ({ code: r.code, name: r.name, parentCode: r.parent_code }));
  }

  async upsertJurisdictions(em: EntityManager, list: Jurisdiction[]): Promise<void> {
    if (list.length === 0) return;
    await em.query(
      `INSERT INTO jurisdiction (code, name, parent_code)
       SELECT * FROM unnest($1::char(6)[], $2::text[], $3::char(6)[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code`,
      [list.map((j) => j.code), list.map((j) => j.name), list.map((j) => j.parentCode)],
    );
  }

  /** Inserts or updates by official_id, in one statement. */
  async upsertOfficials(em: EntityManager, list: Official[]): Promise<void> {
    if (list.length === 0) return;
    const col = <K extends keyof Official>(k: K) => list.map((o) => o[k]);
    await em.query(
      `INSERT INTO official (official_id, name, title, county_code, front, role, phone, email)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::char(6)[], $5::text[], $6::text[], $7::text[], $8::text[])
       ON CONFLICT (official_id) DO UPDATE SET name = EXCLUDED.name, title = EXCLUDED.title,
         county_code = EXCLUDED.county_code, front = EXCLUDED.front, role = EXCLUDED.role,
         phone = EXCLUDED.phone, email = EXCLUDED.email, updated_at = now()`,
      [
        col('officialId'),
        col('name'),
        col('title'),
        col('countyCode'),
        col('front'),
        col('role'),
        col('phone'),
        col('email'),
      ],
    );
  }

  /** Officials of the given counties (a county and its city). */
  async officialsIn(em: EntityManager, counties: string[]): Promise<Official[]> {
    const rows: OfficialRow[] = await em.query(
      'SELECT * FROM official WHERE county_code = ANY($1::char(6)[]) ORDER BY official_id',
      [counties],
    );
    return rows.map(toOfficial);
  }

  async listOfficials(county?: string): Promise<Official[]> {
    const rows: OfficialRow[] = county
      ? await this.dataSource.query('SELECT * FROM official WHERE county_code = $1 ORDER BY official_id', [
          county,
        ])
      : await this.dataSource.query('SELECT * FROM official ORDER BY county_code, official_id');
    return rows.map(toOfficial);
  }

  /** A page of officials by county and id (official_id is the key), and how many match. */
  async pageOfficials(filter: {
    county?: string;
    limit: number;
    offset: number;
  }): Promise<{ items: Official[]; total: number }> {
    const rows: OfficialRow[] = await this.dataSource.query(
      `SELECT * FROM official WHERE ($1::char(6) IS NULL OR county_code = $1)
       ORDER BY county_code, official_id LIMIT $2 OFFSET $3`,
      [filter.county ?? null, filter.limit, filter.offset],
    );
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      'SELECT count(*)::int AS total FROM official WHERE ($1::char(6) IS NULL OR county_code = $1)',
      [filter.county ?? null],
    );
    return { items: rows.map(toOfficial), total };
  }
}
