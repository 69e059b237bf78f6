import { useMemo } from 'react';
import { apiUrl, call, get, post } from '../api.js';
import { ActionForm } from '../components/action-form.js';
import { CountyFilter, useCounty, useOffset } from '../components/county-filter.js';
import { Chart, ErrorBox, Field, Pager, Section, Table, when, yuan } from '../components/ui.js';
import { label, t } from '../i18n/index.js';
import { mayApprove } from '../logic/moves.js';
import { can } from '../logic/permissions.js';
import { setQuery, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';

const LIMIT = 20;

/** The term in progress: autumn from September, spring from March. */
export function currentTerm(now = new Date()): string {
  const y = now.getFullYear();
  const m = now.getMonth() + 1;
  return m >= 9 ? `${y}-autumn` : m >= 3 ? `${y}-spring` : `${y - 1}-autumn`;
}

interface Line {
  policyCode: string;
  countyCode: string;
  studentsEntitled: number;
  entitlements: number;
  amountDue: string;
  paidOnTime: string;
  paidLate: string;
  short: string;
  unpaid: string;
  paidInFullOnTime: number;
  rateInFullOnTime: number;
}

interface Entitlement {
  id: string;
  studentKey: string;
  countyCode: string;
  schoolCode: string;
  policyCode: string;
  term: string;
  amountDue: string;
  amountPaid: string;
  dueDate: string;
  status: string;
  class?: string;
  preparedBy: string;
  runId: string | null;
  overdueSince: string | null;
}

interface Run {
  id: string;
  term: string;
  countyCode: string | null;
  status: string;
  preparedBy: string;
  preparedAt: string;
  entitlements: number;
  amountDue: string;
}

interface Summary {
  entitlements: Record<string, number>;
  payments: Record<string, number>;
  coverageGaps: number;
}

function usePolicyNames() {
  const policies = useData('policies', (s) =>
    get<{ code: string; name: string }[]>('student-aid', '/policies', {}, s),
  );
  return (code: string) => policies.data?.find((p) => p.code === code)?.name ?? code;
}

function Timeliness(props: { term: string }) {
  const { countyName } = useSession();
  const county = useCounty();
  const policyName = usePolicyNames();
  const q = { term: props.term, county };
  const report = useData(`timeliness:${JSON.stringify(q)}`, (s) =>
    get<Line[]>('student-aid', '/reports/timeliness', q, s),
  );
  const summary = useData(`reconciliation:${JSON.stringify(q)}`, (s) =>
    get<Summary>('student-aid', `/terms/${props.term}/reconciliation`, { county }, s),
  );
  const lines = useMemo(() => report.data ?? [], [report.data]);
  const byCounty = useMemo(() => {
    const m = new Map<string, { due: number; full: number; unpaid: number; short: number }>();
    for (const l of lines) {
      const v = m.get(l.countyCode) ?? { due: 0, full: 0, unpaid: 0, short: 0 };
      v.due += l.entitlements;
      v.full += l.paidInFullOnTime;
      v.unpaid += Number(l.unpaid);
      v.short += Number(l.short);
      m.set(l.countyCode, v);
    }
    return [...m.entries()];
  }, [lines]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 60, right: 50, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: byCounty.map(([c]) => countyName(c)) },
      yAxis: [
        { type: 'value', name: t('aid.rate'), max: 100, axisLabel: { formatter: '{value}%' } },
        { type: 'value', name: t('aid.yuan') },
      ],
      series: [
        {
          type: 'bar',
          name: t('aid.rate'),
          data: byCounty.map(([, v]) => (v.due ? Math.round((v.full / v.due) * 1000) / 10 : 0)),
        },
        { type: 'line', name: t('aid.unpaid'), yAxisIndex: 1, data: byCounty.map(([, v]) => v.unpaid) },
        { type: 'line', name: t('aid.short'), yAxisIndex: 1, data: byCounty.map(([, v]) => v.short) },
      ],
    }),
    [byCounty, countyName],
  );
  return (
    <>
      <ErrorBox error={report.error ?? summary.error} />
      {summary.data && (
        <p className="summary" data-testid="reconciliation">
          {(['onTime', 'late', 'short', 'unpaid', 'pending', 'prepared'] as const).map((k) => (
            <span key={k}>
              {label('entClass', k)} <strong>{summary.data?.entitlements[k] ?? 0}</strong>
            </span>
          ))}
          <span>
            {t('aid.coverageGaps')} <strong>{summary.data.coverageGaps}</strong>
          </span>
        </p>
      )}
      {lines.length > 0 && <Chart option={option} height={280} label={t('aid.chart')} />}
      <Table
        label={t('aid.timeliness')}
        rows={report.data}
        rowKey={(l) => l.policyCode + l.countyCode}
        empty={t('aid.noEntitlements', { term: props.term })}
        columns={[
          { key: 'policy', title: t('aid.policy'), render: (l) => policyName(l.policyCode) },
          { key: 'county', title: t('common.county'), render: (l) => countyName(l.countyCode) },
          { key: 'students', title: t('aid.students'), render: (l) => l.studentsEntitled, className: 'num' },
          { key: 'due', title: t('aid.amountDue'), render: (l) => yuan(l.amountDue), className: 'num' },
          { key: 'onTime', title: t('aid.paidOnTime'), render: (l) => yuan(l.paidOnTime), className: 'num' },
          { key: 'late', title: t('aid.paidLate'), render: (l) => yuan(l.paidLate), className: 'num' },
          { key: 'short', title: t('aid.short'), render: (l) => yuan(l.short), className: 'num' },
          { key: 'unpaid', title: t('aid.unpaid'), render: (l) => yuan(l.unpaid), className: 'num' },
          {
            key: 'rate',
            title: t('aid.rate'),
            render: (l) => `${(l.rateInFullOnTime * 100).toFixed(1)}%`,
            className: 'num',
          },
        ]}
      />
      <p>
        <a
          href={apiUrl('student-aid', '/reports/timeliness', { term: props.term, county, format: 'xlsx' })}
          download
        >
          {t('common.downloadXlsx')}
        </a>
      </p>
    </>
  );
}

function entitlementColumns(countyName: (c: string) => string, policyName: (c: string) => string) {
  return [
    { key: 'policy', title: t('aid.policy'), render: (e: Entitlement) => policyName(e.policyCode) },
    { key: 'county', title: t('common.county'), render: (e: Entitlement) => countyName(e.countyCode) },
    { key: 'school', title: t('case.school'), render: (e: Entitlement) => e.schoolCode },
    {
      key: 'student',
      title: t('aid.student'),
      render: (e: Entitlement) => <code>{e.studentKey.slice(0, 12)}</code>,
    },
    {
      key: 'due',
      title: t('aid.amountDue'),
      render: (e: Entitlement) => yuan(e.amountDue),
      className: 'num',
    },
    {
      key: 'paid',
      title: t('aid.amountPaid'),
      render: (e: Entitlement) => yuan(e.amountPaid),
      className: 'num',
    },
    { key: 'dueDate', title: t('aid.dueDate'), render: (e: Entitlement) => e.dueDate },
    {
      key: 'class',
      title: t('aid.class'),
      render: (e: Entitlement) => label('entClass', e.class ?? e.status),
    },
  ];
}

function Breaches(props: { term: string }) {
  const { countyName } = useSession();
  const county = useCounty();
  const policyName = usePolicyNames();
  const offset = useOffset();
  const q = { status: 'overdue', term: props.term, county, limit: LIMIT, offset };
  const page = useData(`breaches:${JSON.stringify(q)}`, (s) =>
    call<Entitlement[]>('student-aid', '/entitlements', { query: q, signal: s }),
  );
  return (
    <>
      <ErrorBox error={page.error} />
      <Table
        label={t('aid.breaches')}
        rows={page.data?.items}
        rowKey={(e) => e.id}
        columns={entitlementColumns(countyName, policyName)}
      />
      {page.data && (
        <Pager offset={offset} limit={LIMIT} count={page.data.items.length} total={page.data.total} />
      )}
    </>
  );
}

/** The query parameter of the runs' pager; the grants' pager keeps `offset`. */
const RUNS_OFFSET = 'runsOffset';

/**
 * 审核: what operators prepared waits for an aid auditor who did not prepare it. The term's
 * runs are paged by the service (newest first) and shown whatever their status, with the
 * decision on those still prepared: filtering a page in the browser would hide pending runs
 * on other pages.
 */
function Queue(props: { term: string }) {
  const { user, countyName } = useSession();
  const policyName = usePolicyNames();
  const offset = useOffset();
  const runsOffset = useOffset(RUNS_OFFSET);
  const rq = { term: props.term, limit: LIMIT, offset: runsOffset };
  const runs = useData(`runs:${JSON.stringify(rq)}`, (s) =>
    call<Run[]>('student-aid', '/entitlement-runs', { query: rq, signal: s }),
  );
  const q = { status: 'prepared', term: props.term, limit: LIMIT, offset };
  const grants = useData(`grants:${JSON.stringify(q)}`, (s) =>
    call<Entitlement[]>('student-aid', '/entitlements', { query: q, signal: s }),
  );
  const reload = () => {
    runs.reload();
    grants.reload();
  };
  return (
    <>
      <h3>{t('aid.runs')}</h3>
      <ErrorBox error={runs.error} />
      <Table
        label={t('aid.runs')}
        rows={runs.data?.items}
        rowKey={(r) => r.id}
        empty={t('aid.noRuns', { term: props.term })}
        columns={[
          { key: 'term', title: t('aid.term'), render: (r) => r.term },
          {
            key: 'county',
            title: t('common.county'),
            render: (r) => (r.countyCode ? countyName(r.countyCode) : t('common.allCounties')),
          },
          { key: 'n', title: t('aid.entitlements'), render: (r) => r.entitlements, className: 'num' },
          { key: 'due', title: t('aid.amountDue'), render: (r) => yuan(r.amountDue), className: 'num' },
          { key: 'by', title: t('aid.preparedBy'), render: (r) => `${r.preparedBy} ${when(r.preparedAt)}` },
          { key: 'status', title: t('aid.runStatus'), render: (r) => label('runStatus', r.status) },
          {
            key: 'decide',
            title: t('common.action'),
            render: (r) =>
              mayApprove(r, user) ? (
                <span className="actions">
                  <ActionForm
                    label={t('aid.approve')}
                    done={reload}
                    run={() => post('student-aid', `/entitlement-runs/${r.id}/approve`)}
                  />
                  <ActionForm
                    label={t('aid.reject')}
                    danger
                    done={reload}
                    run={() => post('student-aid', `/entitlement-runs/${r.id}/reject`)}
                  />
                </span>
              ) : r.status === 'prepared' ? (
                <span className="muted">{t('aid.ownPreparation')}</span>
              ) : (
                '—'
              ),
          },
        ]}
      />
      {runs.data && (
        <Pager
          param={RUNS_OFFSET}
          offset={runsOffset}
          limit={LIMIT}
          count={runs.data.items.length}
          total={runs.data.total}
        />
      )}
      <h3>{t('aid.grants')}</h3>
      <ErrorBox error={grants.error} />
      <Table
        label={t('aid.grants')}
        rows={grants.data?.items.filter((e) => e.runId === null)}
        rowKey={(e) => e.id}
        empty={t('aid.queueEmpty')}
        columns={[
          ...entitlementColumns(countyName, policyName),
          {
            key: 'decide',
            title: t('common.action'),
            render: (e: Entitlement) =>
              mayApprove(e, user) ? (
                <ActionForm
                  label={t('aid.approve')}
                  done={reload}
                  run={() => post('student-aid', `/entitlements/${e.id}/approve`)}
                />
              ) : (
                <span className="muted">{t('aid.ownPreparation')}</span>
              ),
          },
        ]}
      />
      {grants.data && (
        <Pager offset={offset} limit={LIMIT} count={grants.data.items.length} total={grants.data.total} />
      )}
    </>
  );
}

/** 学生资助: timely and in full, per policy and county; the breaches; the auditors' queue. */
export default function Aid() {
  const { user } = useSession();
  const { query } = useLocation();
  const term = /^\d{4}-(spring|autumn)$/.test(query.get('term') ?? '')
    ? (query.get('term') as string)
    : currentTerm();
  const tabs = ['timeliness', 'breaches', ...(can(user, 'aid.approve') ? ['queue'] : [])];
  const tab = tabs.includes(query.get('tab') ?? '') ? (query.get('tab') as string) : 'timeliness';
  return (
    <div className="page">
      <Section
        title={t('nav.aid')}
        actions={
          <div className="tabs" role="tablist">
            {tabs.map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                aria-selected={tab === k}
                onClick={() => setQuery({ tab: k, offset: undefined, [RUNS_OFFSET]: undefined })}
              >
                {label('aidTab', k)}
              </button>
            ))}
          </div>
        }
      >
        <div className="filters">
          <CountyFilter />
          <Field label={t('aid.term')}>
            <input
              name="term"
              defaultValue={term}
              pattern="\d{4}-(spring|autumn)"
              onBlur={(e) =>
                e.target.validity.valid &&
                setQuery({ term: e.target.value, offset: undefined, [RUNS_OFFSET]: undefined })
              }
            />
          </Field>
        </div>
        {tab === 'timeliness' && <Timeliness term={term} />}
        {tab === 'breaches' && <Breaches term={term} />}
        {tab === 'queue' && <Queue term={term} />}
      </Section>
    </div>
  );
}
