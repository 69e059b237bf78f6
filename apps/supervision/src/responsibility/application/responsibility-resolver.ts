import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { counter } from '@edu/observability';
import type { OfficialRole } from '../../directory/domain/official.js';
import type { SupervisedFront } from '../../directory/domain/front.js';
import { DirectoryRepository } from '../../directory/persistence/directory.repository.js';
import {
  whoIsResponsible,
  type Assignment,
  type ResponsibilityEntry,
  type ResponsibilityGap,
} from '../domain/responsibility.js';
import { ResponsibilityRepository } from '../persistence/responsibility.repository.js';

const gapsHit = counter(
  'responsibility_gaps_total',
  'Notices that found no official in the role for the front and county (sent to the city instead, or to nobody)',
  ['county', 'front', 'role', 'fallback'],
);

/** A county with its city: names for notices and documents, codes for the matrix. */
export interface Place {
  countyCode: string;
  countyName: string;
  cityCode: string | null;
  cityName: string;
}

/** Reads the matrix and the directory in the caller's transaction and decides who is told. */
@Injectable()
export class ResponsibilityResolver {
  private readonly logger = new Logger(ResponsibilityResolver.name);

  constructor(
    private readonly directory: DirectoryRepository,
    private readonly matrix: ResponsibilityRepository,
  ) {}

  async place(em: EntityManager, countyCode: string): Promise<Place> {
    const places = await this.directory.jurisdictions(em);
    const county = places.find((p) => p.code === countyCode);
    const city =
      places.find((p) => p.code === county?.parentCode) ?? places.find((p) => p.parentCode === null) ?? null;
    return {
      countyCode,
      countyName: county?.name ?? countyCode,
      cityCode: city && city.code !== countyCode ? city.code : null,
      cityName: city?.name ?? '',
    };
  }

  async resolve(
    em: EntityManager,
    place: Place,
    front: SupervisedFront,
    roles: readonly OfficialRole[],
    scope: 'county' | 'city' = 'county',
    /** Count and log the gaps found (false for a lookup that notifies nobody, e.g. the interviewer). */
    report = true,
  ): Promise<{ assignments: Assignment[]; gaps: ResponsibilityGap[]; entry: ResponsibilityEntry | null }> {
    const codes = place.cityCode ? [place.countyCode, place.cityCode] : [place.countyCode];
    const entries = await this.matrix.entries(em, codes);
    const officials = await this.directory.officialsIn(em, codes);
    const result = whoIsResponsible(entries, officials, {
      countyCode: place.countyCode,
      cityCode: place.cityCode,
      front,
      roles,
      scope,
    });
    for (const g of report ? result.gaps : []) {
      gapsHit.inc({ county: g.countyCode, front: g.front, role: g.role, fallback: g.fallback });
      const then = g.fallback === 'city' ? 'the city is told instead' : 'nobody can be told';
      this.logger.warn(`responsibility gap: no ${g.role} for ${g.front} in ${g.countyCode}; ${then}`);
    }
    const entry =
      entries.find((e) => e.countyCode === place.countyCode && e.front === front) ??
      entries.find((e) => e.countyCode === place.cityCode && e.front === front) ??
      null;
    return { ...result, entry };
  }
}
