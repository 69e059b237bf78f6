import { Injectable } from '@nestjs/common';
import { FRONT_NAMES, SUPERVISED_FRONTS } from '../../directory/domain/front.js';
import { OFFICIAL_ROLES, type Official } from '../../directory/domain/official.js';
import { DirectoryRepository } from '../../directory/persistence/directory.repository.js';
import {
  describeGap,
  responsibilityGaps,
  whoIsResponsible,
  type ResponsibilityGap,
} from '../domain/responsibility.js';
import { ResponsibilityRepository } from '../persistence/responsibility.repository.js';

const who = (o: Official, source: string) => ({
  officialId: o.officialId,
  name: o.name,
  title: o.title,
  source,
});

/** The matrix as people read it: every jurisdiction and front, who holds each role, and the gaps. */
@Injectable()
export class MatrixView {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly matrix: ResponsibilityRepository,
  ) {}

  private async load(county?: string) {
    const places = await this.directory.jurisdictions();
    const entries = await this.matrix.entries();
    const officials = await this.directory.listOfficials();
    const shown = county ? places.filter((p) => p.code === county) : places;
    return { places, shown, entries, officials };
  }

  async matrixOf(county?: string) {
    const { places, shown, entries, officials } = await this.load(county);
    return shown.flatMap((place) =>
      SUPERVISED_FRONTS.map((front) => {
        const entry = entries.find((e) => e.countyCode === place.code && e.front === front);
        const roles = Object.fromEntries(
          OFFICIAL_ROLES.map((role) => {
            const r = whoIsResponsible(entries, officials, {
              countyCode: place.code,
              cityCode: place.parentCode,
              front,
              roles: [role],
              scope: 'county',
            });
            const holders = r.assignments.map((a) => ({
              ...who(a.official, a.source),
              fallback: a.fallback,
            }));
            return [role, holders];
          }),
        );
        const gaps = responsibilityGaps([place], entries, officials).filter((g) => g.front === front);
        return {
          countyCode: place.code,
          countyName: place.name,
          front,
          frontName: FRONT_NAMES[front],
          leadDepartment: entry?.leadDepartment ?? null,
          ...roles,
          gaps: gaps.map((g) => this.describe(g, places)),
        };
      }),
    );
  }

  async gaps(county?: string) {
    const { places, shown, entries, officials } = await this.load(county);
    return responsibilityGaps(shown, entries, officials).map((g) => this.describe(g, places));
  }

  private describe(g: ResponsibilityGap, places: { code: string; name: string }[]) {
    const name = places.find((p) => p.code === g.countyCode)?.name ?? g.countyCode;
    return { ...g, description: describeGap(g, name) };
  }
}
