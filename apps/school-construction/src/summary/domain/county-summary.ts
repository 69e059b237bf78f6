import { toYuan } from '../../project/domain/money.js';
import type { SchoolStage, Seats } from '../../project/domain/project.js';

/** What the read queries give per county (money in fen). */
export interface CountyFigures {
  countyCode: string;
  projects: number;
  priority: number;
  inUse: number;
  byKind: Record<string, number>;
  budgetFen: number;
  spentFen: number;
  bySourceFen: Record<string, number>;
  /** Sum of the latest percent complete of the projects that reported, and how many did. */
  percentSum: number;
  reporting: number;
  overdueMilestones: number;
  projectsOverdue: number;
  stalled: number;
  overrun: number;
  seats: Seats;
  beds: number;
  sites: number;
  sitesCounted: number;
  children: Seats;
  sitesShort: number;
  /** Open shortfalls by stage: how many (site, stage) pairs and how many seats short. */
  shortfalls: Record<SchoolStage, { count: number; seats: number }>;
}

export const emptyFigures = (countyCode: string): CountyFigures => ({
  countyCode,
  projects: 0,
  priority: 0,
  inUse: 0,
  byKind: {},
  budgetFen: 0,
  spentFen: 0,
  bySourceFen: {},
  percentSum: 0,
  reporting: 0,
  overdueMilestones: 0,
  projectsOverdue: 0,
  stalled: 0,
  overrun: 0,
  seats: { preschool: 0, primary: 0, junior: 0 },
  beds: 0,
  sites: 0,
  sitesCounted: 0,
  children: { preschool: 0, primary: 0, junior: 0 },
  sitesShort: 0,
  shortfalls: {
    preschool: { count: 0, seats: 0 },
    primary: { count: 0, seats: 0 },
    junior: { count: 0, seats: 0 },
  },
});

const addSeats = (a: Seats, b: Seats): Seats => ({
  preschool: a.preschool + b.preschool,
  primary: a.primary + b.primary,
  junior: a.junior + b.junior,
});

function addCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** The city's figures: every county's added up. */
export function cityFigures(counties: CountyFigures[], cityCode = 'total'): CountyFigures {
  return counties.reduce<CountyFigures>(
    (t, c) => ({
      ...t,
      projects: t.projects + c.projects,
      priority: t.priority + c.priority,
      inUse: t.inUse + c.inUse,
      byKind: addCounts(t.byKind, c.byKind),
      budgetFen: t.budgetFen + c.budgetFen,
      spentFen: t.spentFen + c.spentFen,
      percentSum: t.percentSum + c.percentSum,
      reporting: t.reporting + c.reporting,
      bySourceFen: addCounts(t.bySourceFen, c.bySourceFen),
      overdueMilestones: t.overdueMilestones + c.overdueMilestones,
      projectsOverdue: t.projectsOverdue + c.projectsOverdue,
      stalled: t.stalled + c.stalled,
      overrun: t.overrun + c.overrun,
      seats: addSeats(t.seats, c.seats),
      beds: t.beds + c.beds,
      sites: t.sites + c.sites,
      sitesCounted: t.sitesCounted + c.sitesCounted,
      children: addSeats(t.children, c.children),
      sitesShort: t.sitesShort + c.sitesShort,
      shortfalls: {
        preschool: {
          count: t.shortfalls.preschool.count + c.shortfalls.preschool.count,
          seats: t.shortfalls.preschool.seats + c.shortfalls.preschool.seats,
        },
        primary: {
          count: t.shortfalls.primary.count + c.shortfalls.primary.count,
          seats: t.shortfalls.primary.seats + c.shortfalls.primary.seats,
        },
        junior: {
          count: t.shortfalls.junior.count + c.shortfalls.junior.count,
          seats: t.shortfalls.junior.seats + c.shortfalls.junior.seats,
        },
      },
    }),
    emptyFigures(cityCode),
  );
}

function yuanBy(fen: Record<string, number>): Record<string, string> {
  return Object.fromEntries(Object.entries(fen).map(([k, v]) => [k, toYuan(v)]));
}

/** One county's block of the battle map. */
export function summaryView(f: CountyFigures) {
  const capacityShortfalls =
    f.shortfalls.preschool.count + f.shortfalls.primary.count + f.shortfalls.junior.count;
  return {
    countyCode: f.countyCode,
    projects: {
      total: f.projects,
      priority: f.priority,
      inUse: f.inUse,
      underway: f.projects - f.inUse,
      byKind: f.byKind,
    },
    breaches: {
      total: f.overdueMilestones + f.stalled + f.overrun + capacityShortfalls,
      overdueMilestones: f.overdueMilestones,
      projectsOverdue: f.projectsOverdue,
      stalled: f.stalled,
      overrun: f.overrun,
      capacityShortfalls,
    },
    budget: {
      total: toYuan(f.budgetFen),
      spent: toYuan(f.spentFen),
      spentPercent: f.budgetFen > 0 ? Math.round((f.spentFen / f.budgetFen) * 1000) / 10 : null,
      bySource: yuanBy(f.bySourceFen),
    },
    progress: {
      reporting: f.reporting,
      averagePercentComplete: f.reporting > 0 ? Math.round((f.percentSum / f.reporting) * 10) / 10 : null,
    },
    capacity: {
      seats: f.seats,
      beds: f.beds,
      sites: f.sites,
      sitesCounted: f.sitesCounted,
      sitesShort: f.sitesShort,
      children: f.children,
      shortfalls: f.shortfalls,
    },
  };
}
