import { apiUrl, get } from '../api.js';
import { CountyFilter, useCounty, useFilter } from '../components/county-filter.js';
import { EnumSelect, ErrorBox, Field, Section, Table } from '../components/ui.js';
import { label, t } from '../i18n/index.js';
import { navigate, setQuery, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';

export const PROBLEM_FRONTS = ['dropout', 'aid', 'construction', 'work_team', 'archives', 'other'] as const;
export const PROBLEM_STATUSES = ['open', 'closure_requested', 'closed'] as const;
export const PROBLEM_SOURCES = [
  'central_inspection_review',
  'national_assessment',
  'region_meeting',
  'inspection',
  'unannounced_visit',
  'stationed_guidance',
  'investigation_sweep',
  'other',
] as const;

export interface Problem {
  id: string;
  ref: string;
  source: string;
  sourceName: string;
  description: string;
  countyCode: string;
  front: string;
  measures: string;
  foundOn: string;
  deadline: string | null;
  leadDepartment: string;
  responsibleLeader: string;
  status: (typeof PROBLEM_STATUSES)[number];
  evidence: { reference: string; description: string | null; addedBy: string; addedAt: string }[];
  closureRequestedBy: string | null;
  closureRequestedAt: string | null;
  closureRejectedReason: string | null;
  closedBy: string | null;
  closedAt: string | null;
  overdue: boolean;
}

const LIMIT = 20;

/** 整改台账: every problem, its deadline and evidence; pages by the service's cursor. */
export default function Rectification() {
  const { countyName } = useSession();
  const county = useCounty();
  const { query } = useLocation();
  const [front, setFront] = useFilter('front');
  const [status, setStatus] = useFilter('status');
  const [source, setSource] = useFilter('source');
  const [overdue, setOverdue] = useFilter('overdue');
  const after = query.get('after') ?? undefined;
  const trail = (query.get('trail') ?? '').split('|').filter(Boolean);
  const filter = { county, front, status, source, overdue: overdue || undefined };
  const q = { ...filter, limit: LIMIT, after };
  const page = useData(`ledger:${JSON.stringify(q)}`, (s) =>
    get<{ total: number; items: Problem[]; next: string | null }>(
      'supervision',
      '/rectification/ledger',
      q,
      s,
    ),
  );
  const shown = trail.length * LIMIT;
  return (
    <div className="page">
      <Section
        title={t('nav.rectification')}
        actions={
          <a href={apiUrl('supervision', '/rectification/ledger', { ...filter, format: 'xlsx' })} download>
            {t('common.downloadXlsx')}
          </a>
        }
      >
        <div className="filters">
          <CountyFilter />
          <Field label={t('problem.front')}>
            <EnumSelect
              name="front"
              value={front}
              values={PROBLEM_FRONTS}
              prefix="problemFront"
              onChange={setFront}
            />
          </Field>
          <Field label={t('problem.status')}>
            <EnumSelect
              name="status"
              value={status}
              values={PROBLEM_STATUSES}
              prefix="problemStatus"
              onChange={setStatus}
            />
          </Field>
          <Field label={t('problem.source')}>
            <EnumSelect
              name="source"
              value={source}
              values={PROBLEM_SOURCES}
              prefix="problemSource"
              onChange={setSource}
            />
          </Field>
          <Field label={t('problem.overdue')}>
            <select name="overdue" value={overdue} onChange={(e) => setOverdue(e.target.value)}>
              <option value="">{t('common.any')}</option>
              <option value="true">{t('common.yes')}</option>
            </select>
          </Field>
        </div>
        <ErrorBox error={page.error} />
        <Table
          label={t('nav.rectification')}
          rows={page.data?.items}
          rowKey={(p) => p.id}
          onRowClick={(p) => navigate(`/rectification/${p.id}`)}
          columns={[
            { key: 'ref', title: t('problem.ref'), render: (p) => p.ref },
            { key: 'county', title: t('common.county'), render: (p) => countyName(p.countyCode) },
            { key: 'front', title: t('problem.front'), render: (p) => label('problemFront', p.front) },
            { key: 'desc', title: t('problem.description'), render: (p) => p.description },
            {
              key: 'deadline',
              title: t('problem.deadline'),
              render: (p) => <span className={p.overdue ? 'late' : undefined}>{p.deadline ?? '—'}</span>,
            },
            { key: 'leader', title: t('problem.leader'), render: (p) => p.responsibleLeader },
            {
              key: 'evidence',
              title: t('problem.evidence'),
              render: (p) => p.evidence.length,
              className: 'num',
            },
            { key: 'status', title: t('problem.status'), render: (p) => label('problemStatus', p.status) },
          ]}
        />
        {page.data && (
          <nav className="pager" aria-label={t('common.pages')}>
            <button
              type="button"
              disabled={trail.length === 0}
              onClick={() => {
                const back = trail.slice(0, -1);
                setQuery({
                  after: trail.at(-1) === '-' ? undefined : trail.at(-1),
                  trail: back.join('|') || undefined,
                });
              }}
            >
              {t('common.previous')}
            </button>
            <span>
              {page.data.items.length === 0
                ? t('common.noRows')
                : t('common.rangeOf', {
                    from: shown + 1,
                    to: shown + page.data.items.length,
                    total: page.data.total,
                  })}
            </span>
            <button
              type="button"
              disabled={!page.data.next}
              onClick={() => setQuery({ after: page.data?.next, trail: [...trail, after ?? '-'].join('|') })}
            >
              {t('common.next')}
            </button>
          </nav>
        )}
      </Section>
    </div>
  );
}
