import { call } from '../api.js';
import { CountyFilter, useCounty, useFilter, useOffset } from '../components/county-filter.js';
import { EnumSelect, ErrorBox, Field, Pager, Section, Table, type Column } from '../components/ui.js';
import { label, t } from '../i18n/index.js';
import { Link, navigate, setQuery, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';

export const CASE_STATES = ['opened', 'verified', 'plan', 'resolved', 'closed'] as const;
const LIMIT = 20;

export interface CaseRow {
  id: string;
  studentIdNumber: string;
  name?: string;
  countyCode: string;
  schoolCode: string;
  householdId: string | null;
  township: string | null;
  village: string | null;
  state: (typeof CASE_STATES)[number];
  deadline: string | null;
  attemptsInCycle: number;
  openedAt: string;
  source: string;
  finding: string | null;
}

export const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

export function Deadline(props: { deadline: string | null }) {
  if (!props.deadline) return <>—</>;
  const late = props.deadline < today();
  return (
    <span className={late ? 'late' : undefined}>
      {late ? t('common.overdueSince', { date: props.deadline }) : props.deadline}
    </span>
  );
}

function Cases() {
  const { countyName } = useSession();
  const county = useCounty();
  const [state, setState] = useFilter('state');
  const [overdue, setOverdue] = useFilter('overdue');
  const [school, setSchool] = useFilter('school');
  const [household, setHousehold] = useFilter('household');
  const offset = useOffset();
  const q = { county, state, overdue, school, household, limit: LIMIT, offset };
  const page = useData(`cases:${JSON.stringify(q)}`, (signal) =>
    call<CaseRow[]>('dropout-control', '/cases', { query: q, signal }),
  );
  const columns: Column<CaseRow>[] = [
    { key: 'name', title: t('case.child'), render: (c) => c.name ?? c.studentIdNumber },
    { key: 'id', title: t('case.idNumber'), render: (c) => <code>{c.studentIdNumber}</code> },
    { key: 'county', title: t('common.county'), render: (c) => countyName(c.countyCode) },
    { key: 'school', title: t('case.school'), render: (c) => c.schoolCode },
    { key: 'state', title: t('case.state'), render: (c) => label('caseState', c.state) },
    { key: 'deadline', title: t('case.deadline'), render: (c) => <Deadline deadline={c.deadline} /> },
    {
      key: 'household',
      title: t('case.household'),
      render: (c) =>
        c.householdId ? (
          <Link to={`/dropout/households/${encodeURIComponent(c.householdId)}`}>{c.householdId}</Link>
        ) : (
          '—'
        ),
    },
    { key: 'attempts', title: t('case.attempts'), render: (c) => c.attemptsInCycle },
  ];
  return (
    <>
      <div className="filters">
        <CountyFilter />
        <Field label={t('case.state')}>
          <EnumSelect
            name="state"
            value={state}
            values={CASE_STATES}
            prefix="caseState"
            onChange={setState}
          />
        </Field>
        <Field label={t('case.overdue')}>
          <select name="overdue" value={overdue} onChange={(e) => setOverdue(e.target.value)}>
            <option value="">{t('common.any')}</option>
            <option value="true">{t('common.yes')}</option>
            <option value="false">{t('common.no')}</option>
          </select>
        </Field>
        <Field label={t('case.school')}>
          <input name="school" defaultValue={school} onBlur={(e) => setSchool(e.target.value.trim())} />
        </Field>
        <Field label={t('case.household')}>
          <input
            name="household"
            defaultValue={household}
            onBlur={(e) => setHousehold(e.target.value.trim())}
          />
        </Field>
      </div>
      <ErrorBox error={page.error} />
      <Table
        label={t('nav.dropout')}
        columns={columns}
        rows={page.data?.items}
        rowKey={(c) => c.id}
        onRowClick={(c) => navigate(`/dropout/cases/${c.id}`)}
      />
      {page.data && (
        <Pager offset={offset} limit={LIMIT} count={page.data.items.length} total={page.data.total} />
      )}
    </>
  );
}

interface HouseholdRow {
  householdId: string;
  countyCode: string;
  township: string | null;
  village: string | null;
  measures: string | null;
  responsible: string | null;
  cases: Record<string, number>;
}

function Households() {
  const { countyName } = useSession();
  const county = useCounty();
  const offset = useOffset();
  const q = { county, limit: LIMIT, offset };
  const page = useData(`households:${JSON.stringify(q)}`, (signal) =>
    call<HouseholdRow[]>('dropout-control', '/households', { query: q, signal }),
  );
  return (
    <>
      <div className="filters">
        <CountyFilter />
      </div>
      <ErrorBox error={page.error} />
      <Table
        label={t('case.households')}
        columns={[
          { key: 'id', title: t('case.household'), render: (h) => h.householdId },
          { key: 'county', title: t('common.county'), render: (h) => countyName(h.countyCode) },
          {
            key: 'place',
            title: t('case.place'),
            render: (h) => [h.township, h.village].filter(Boolean).join(' ') || '—',
          },
          {
            key: 'cases',
            title: t('case.casesByState'),
            render: (h) =>
              Object.entries(h.cases)
                .map(([s, n]) => `${label('caseState', s)} ${n}`)
                .join(t('common.listSep')) || '—',
          },
          {
            key: 'responsible',
            title: t('household.responsible'),
            render: (h) => h.responsible ?? t('household.noPlan'),
          },
        ]}
        rows={page.data?.items}
        rowKey={(h) => h.householdId}
        onRowClick={(h) => navigate(`/dropout/households/${encodeURIComponent(h.householdId)}`)}
      />
      {page.data && (
        <Pager offset={offset} limit={LIMIT} count={page.data.items.length} total={page.data.total} />
      )}
    </>
  );
}

/** 控辍保学台账: the cases (一生一案) and the household plans (一家一案). */
export default function Dropout() {
  const { query } = useLocation();
  const tab = query.get('tab') === 'households' ? 'households' : 'cases';
  return (
    <div className="page">
      <Section
        title={t('nav.dropout')}
        actions={
          <div className="tabs" role="tablist">
            {(['cases', 'households'] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                aria-selected={tab === k}
                onClick={() => setQuery({ tab: k === 'cases' ? undefined : k, offset: undefined })}
              >
                {t(k === 'cases' ? 'case.cases' : 'case.households')}
              </button>
            ))}
          </div>
        }
      >
        {tab === 'cases' ? <Cases /> : <Households />}
      </Section>
    </div>
  );
}
