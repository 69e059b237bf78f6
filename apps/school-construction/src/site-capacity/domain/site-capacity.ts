import type { DomainEvent } from '@edu/contracts';
import { SCHOOL_STAGES, type SchoolStage, type Seats } from '../../project/domain/project.js';

/** The school-age children of a site by stage, as one cross-check run counted them. */
export interface SiteDemand {
  crosscheckId: string;
  schoolYear: string;
  counts: Seats;
  /** ISO timestamp of the run; a later run supersedes an earlier one. */
  measuredAt: string;
}

/** A stage of a site with more children than seats: open until capacity catches up. */
export interface ShortfallProps {
  id: string;
  stage: SchoolStage;
  /** The latest numbers while open; the numbers that closed it once resolved. */
  demand: number;
  seats: number;
  openedOn: string;
  resolvedOn: string | null;
}

export interface SiteProps {
  siteCode: string;
  countyCode: string;
  demand: SiteDemand | null;
  /** Seats of every project serving the site, by stage. */
  seats: Seats;
  /** The open shortfalls, and any opened or resolved since loading. */
  shortfalls: ShortfallProps[];
}

/**
 * A relocation site (易地扶贫搬迁安置点) and the school places for its children: a site school
 * must seat the school-age children of its site. Each stage short of seats is a breach,
 * reported once while it lasts and settled when capacity catches up.
 */
export class SiteCapacity {
  private constructor(private readonly props: SiteProps) {}

  static restore(props: SiteProps): SiteCapacity {
    return new SiteCapacity({
      ...props,
      demand: props.demand && { ...props.demand, counts: { ...props.demand.counts } },
      seats: { ...props.seats },
      shortfalls: props.shortfalls.map((s) => ({ ...s })),
    });
  }

  get state(): Readonly<SiteProps> {
    return this.props;
  }

  /** Takes a new count unless an equally recent or later one is already held; says whether it did. */
  recordDemand(demand: SiteDemand, countyCode: string): boolean {
    const held = this.props.demand;
    if (held && Date.parse(held.measuredAt) >= Date.parse(demand.measuredAt)) return false;
    this.props.demand = { ...demand, counts: { ...demand.counts } };
    // The count comes from the registries: the site's county is where its children are counted.
    this.props.countyCode = countyCode;
    return true;
  }

  /** Seats changed (a project serving the site was added, revised or moved). */
  setSeats(seats: Seats): void {
    this.props.seats = { ...seats };
  }

  /** Compares children and seats stage by stage, opening and settling shortfalls. */
  assess(today: string, newId: () => string): DomainEvent[] {
    const demand = this.props.demand;
    if (!demand) return [];
    const events: DomainEvent[] = [];
    const base = { siteCode: this.props.siteCode, countyCode: this.props.countyCode };
    for (const stage of SCHOOL_STAGES) {
      const children = demand.counts[stage];
      const seats = this.props.seats[stage];
      const open = this.props.shortfalls.find((s) => s.stage === stage && s.resolvedOn === null);
      if (children > seats) {
        if (open) {
          open.demand = children;
          open.seats = seats;
          continue;
        }
        this.props.shortfalls.push({
          id: newId(),
          stage,
          demand: children,
          seats,
          openedOn: today,
          resolvedOn: null,
        });
        events.push({
          key: 'construction.capacity.shortfall.v1',
          data: { ...base, stage, demand: children, seats, shortfall: children - seats },
        });
      } else if (open) {
        Object.assign(open, { demand: children, seats, resolvedOn: today });
        events.push({
          key: 'construction.capacity.restored.v1',
          data: { ...base, stage, demand: children, seats },
        });
      }
    }
    return events;
  }
}
