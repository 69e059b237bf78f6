import { useMemo } from 'react';
import { call, get } from '../api.js';
import { CountyFilter, useCounty, useFilter, useOffset } from '../components/county-filter.js';
import { Chart, EnumSelect, ErrorBox, Field, Pager, Section, Table, yuan } from '../components/ui.js';
import { label, t, withNote } from '../i18n/index.js';
import { navigate, setQuery, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';

const LIMIT = 20;
const STATUSES = ['active', 'completed', 'overdue', 'stalled', 'overrun', 'breach'] as const;
const KINDS = [
  'relocation_site_school',
  'renovation_expansion',
  'township_boarding_school',
  'small_rural_school',
  'teacher_dormitory',
  'kindergarten',
  'special_education',
] as const;

export interface Milestone {
  id: string;
  kind: string;
  plannedDate: string;
  completedOn: string | null;
  overdueSince: string | null;
}

export interface Project {
  id: string;
  code: string;
  name: string;
  kind: string;
  countyCode: string;
  siteCode: string | null;
  budget: string;
  spentToDate: string;
  capacitySeats: number;
  capacityBeds: number;
  registeredOn: string;
  percentComplete: number | null;
  lastReportOn: string | null;
  stalledSince: string | null;
  overrunSince: string | null;
  inUse: boolean;
  milestones: Milestone[];
}

interface Stages {
  preschool: number;
  primary: number;
  junior: number;
}

interface Site {
  siteCode: string;
  countyCode: string;
  schoolYear: number | null;
  demand: Stages | null;
  seats: Stages;
  projects: number;
  shortfalls: { stage: string; demand: number; seats: number; shortfall: number; since: string }[];
}

function Projects() {
  const { countyName } = useSession();
  const county = useCounty();
  const [status, setStatus] = useFilter('status');
  const [kind, setKind] = useFilter('kind');
  const [text, setText] = useFilter('q');
  const offset = useOffset();
  const q = { county, status, kind, q: text, limit: LIMIT, offset };
  const page = useData(`projects:${JSON.stringify(q)}`, (s) =>
    call<Project[]>('school-construction', '/projects', { query: q, signal: s }),
  );
  return (
    <>
      <div className="filters">
        <CountyFilter />
        <Field label={t('project.status')}>
          <EnumSelect
            name="status"
            value={status}
            values={STATUSES}
            prefix="projectStatus"
            onChange={setStatus}
          />
        </Field>
        <Field label={t('project.kind')}>
          <EnumSelect name="kind" value={kind} values={KINDS} prefix="projectKind" onChange={setKind} />
        </Field>
        <Field label={t('project.search')}>
          <input name="q" defaultValue={text} onBlur={(e) => setText(e.target.value.trim())} />
        </Field>
      </div>
      <ErrorBox error={page.error} />
      <Table
        label={t('project.projects')}
        rows={page.data?.items}
        rowKey={(p) => p.id}
        onRowClick={(p) => navigate(`/construction/projects/${p.id}`)}
        columns={[
          { key: 'name', title: t('project.name'), render: (p) => withNote(p.name, p.code) },
          { key: 'county', title: t('common.county'), render: (p) => countyName(p.countyCode) },
          { key: 'kind', title: t('project.kind'), render: (p) => label('projectKind', p.kind) },
          {
            key: 'pct',
            title: t('project.percent'),
            render: (p) => (p.percentComplete === null ? '—' : `${p.percentComplete}%`),
            className: 'num',
          },
          { key: 'budget', title: t('project.budget'), render: (p) => yuan(p.budget), className: 'num' },
          { key: 'spent', title: t('project.spent'), render: (p) => yuan(p.spentToDate), className: 'num' },
          {
            key: 'flags',
            title: t('project.flags'),
            render: (p) =>
              [
                p.milestones.some((m) => m.overdueSince) && t('projectStatus.overdue'),
                p.stalledSince && t('projectStatus.stalled'),
                p.overrunSince && t('projectStatus.overrun'),
                p.inUse && t('projectStatus.completed'),
              ]
                .filter(Boolean)
                .join(t('common.listSep')) || '—',
          },
        ]}
      />
      {page.data && (
        <Pager offset={offset} limit={LIMIT} count={page.data.items.length} total={page.data.total} />
      )}
    </>
  );
}

const STAGES = ['primary', 'junior', 'preschool'] as const;

function Sites() {
  const { countyName } = useSession();
  const county = useCounty();
  const offset = useOffset();
  const q = { county, limit: LIMIT, offset };
  const page = useData(`sites:${JSON.stringify(q)}`, (s) =>
    call<Site[]>('school-construction', '/sites', { query: q, signal: s }),
  );
  const sites = useMemo(() => page.data?.items ?? [], [page.data]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 50, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'category', data: sites.map((s) => s.siteCode) },
      yAxis: { type: 'value', name: t('site.children') },
      series: STAGES.flatMap((stage) => [
        {
          type: 'bar',
          name: t('site.demandOf', { stage: label('stage', stage) }),
          stack: `d-${stage}`,
          data: sites.map((s) => s.demand?.[stage] ?? 0),
        },
        {
          type: 'bar',
          name: t('site.seatsOf', { stage: label('stage', stage) }),
          stack: `s-${stage}`,
          itemStyle: { opacity: 0.55 },
          data: sites.map((s) => s.seats[stage]),
        },
      ]),
    }),
    [sites],
  );
  return (
    <>
      <div className="filters">
        <CountyFilter />
      </div>
      <ErrorBox error={page.error} />
      {sites.length > 0 && <Chart option={option} height={300} label={t('site.chart')} />}
      <Table
        label={t('site.sites')}
        rows={page.data?.items}
        rowKey={(s) => s.siteCode}
        columns={[
          { key: 'site', title: t('site.site'), render: (s) => s.siteCode },
          { key: 'county', title: t('common.county'), render: (s) => countyName(s.countyCode) },
          ...STAGES.map((stage) => ({
            key: stage,
            title: t('site.demandSeats', { stage: label('stage', stage) }),
            render: (s: Site) => `${s.demand?.[stage] ?? '—'} / ${s.seats[stage]}`,
            className: 'num',
          })),
          {
            key: 'short',
            title: t('site.shortfalls'),
            render: (s) =>
              s.shortfalls
                .map((f) => t('site.shortBy', { stage: label('stage', f.stage), n: f.shortfall }))
                .join(t('common.listSep')) || '—',
          },
        ]}
      />
      {page.data && (
        <Pager offset={offset} limit={LIMIT} count={page.data.items.length} total={page.data.total} />
      )}
    </>
  );
}

interface Figures {
  projects: { total: number; underway: number; inUse: number };
  breaches: {
    total: number;
    overdueMilestones: number;
    stalled: number;
    overrun: number;
    capacityShortfalls: number;
  };
  budget: { total: string; spent: string; spentPercent: number | null };
}

/** 学校建设: projects and their milestones; relocation sites' seats against their children. */
export default function Construction() {
  const { query } = useLocation();
  const tab = query.get('tab') === 'sites' ? 'sites' : 'projects';
  const county = useCounty();
  const summary = useData(`csummary:${county ?? ''}`, (s) =>
    get<{ total: Figures }>('school-construction', '/summary', { county }, s),
  );
  return (
    <div className="page">
      <Section
        title={t('nav.construction')}
        actions={
          <div className="tabs" role="tablist">
            {(['projects', 'sites'] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                aria-selected={tab === k}
                onClick={() => setQuery({ tab: k, offset: undefined })}
              >
                {t(k === 'projects' ? 'project.projects' : 'site.sites')}
              </button>
            ))}
          </div>
        }
      >
        {summary.data && (
          <p className="summary" data-testid="construction-summary">
            <span>
              {t('csum.projects')} <strong>{summary.data.total.projects.total}</strong>
            </span>
            <span>
              {t('csum.underway')} <strong>{summary.data.total.projects.underway}</strong>
            </span>
            <span>
              {t('csum.inUse')} <strong>{summary.data.total.projects.inUse}</strong>
            </span>
            <span>
              {t('csum.overdueMilestones')} <strong>{summary.data.total.breaches.overdueMilestones}</strong>
            </span>
            <span>
              {t('csum.stalled')} <strong>{summary.data.total.breaches.stalled}</strong>
            </span>
            <span>
              {t('csum.overrun')} <strong>{summary.data.total.breaches.overrun}</strong>
            </span>
            <span>
              {t('csum.capacityShortfalls')} <strong>{summary.data.total.breaches.capacityShortfalls}</strong>
            </span>
            <span>
              {t('csum.spent')} <strong>{yuan(summary.data.total.budget.spent)}</strong> /{' '}
              {yuan(summary.data.total.budget.total)}
            </span>
          </p>
        )}
        {tab === 'projects' ? <Projects /> : <Sites />}
      </Section>
    </div>
  );
}
