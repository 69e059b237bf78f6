import { get, put } from '../api.js';
import { ActionForm, text } from '../components/action-form.js';
import { ErrorBox, Field, Loading, Section, Table, when } from '../components/ui.js';
import { label, t } from '../i18n/index.js';
import { can } from '../logic/permissions.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';
import { Deadline, type CaseRow } from './dropout.js';

interface Household {
  householdId: string;
  countyCode: string;
  township: string | null;
  village: string | null;
  measures: string | null;
  responsible: string | null;
  updatedBy: string | null;
  updatedAt: string | null;
  cases: CaseRow[];
}

/** 一家一案: the household's plan and each child's case under it. */
export default function HouseholdPage(props: { params: Record<string, string> }) {
  const { user, countyName } = useSession();
  const id = props.params.id;
  const h = useData(`household:${id}`, (s) =>
    get<Household>('dropout-control', `/households/${encodeURIComponent(id)}`, {}, s),
  );
  if (h.error) return <ErrorBox error={h.error} />;
  if (!h.data) return <Loading />;
  const d = h.data;
  return (
    <div className="page">
      <Section title={t('household.title', { id: d.householdId })}>
        <dl className="facts">
          <dt>{t('common.county')}</dt>
          <dd>{countyName(d.countyCode)}</dd>
          <dt>{t('case.place')}</dt>
          <dd>{[d.township, d.village].filter(Boolean).join(' ') || '—'}</dd>
          <dt>{t('household.measures')}</dt>
          <dd className="prose">{d.measures ?? t('household.noPlan')}</dd>
          <dt>{t('household.responsible')}</dt>
          <dd>{d.responsible ?? '—'}</dd>
          <dt>{t('common.updated')}</dt>
          <dd>
            {d.updatedBy ?? '—'} {when(d.updatedAt)}
          </dd>
        </dl>
        {can(user, 'case.work') && (
          <ActionForm
            label={t('household.record')}
            done={h.reload}
            run={(f) =>
              put('dropout-control', `/households/${encodeURIComponent(id)}/plan`, {
                measures: text(f, 'measures'),
                responsible: text(f, 'responsible'),
              })
            }
          >
            <Field label={t('household.measures')}>
              <textarea name="measures" rows={4} defaultValue={d.measures ?? ''} required />
            </Field>
            <Field label={t('household.responsible')}>
              <input name="responsible" defaultValue={d.responsible ?? ''} required />
            </Field>
          </ActionForm>
        )}
      </Section>
      <Section title={t('case.cases')}>
        <Table
          label={t('case.cases')}
          rows={d.cases}
          rowKey={(c) => c.id}
          onRowClick={(c) => navigate(`/dropout/cases/${c.id}`)}
          columns={[
            { key: 'name', title: t('case.child'), render: (c) => c.name ?? c.studentIdNumber },
            { key: 'state', title: t('case.state'), render: (c) => label('caseState', c.state) },
            { key: 'deadline', title: t('case.deadline'), render: (c) => <Deadline deadline={c.deadline} /> },
            { key: 'school', title: t('case.school'), render: (c) => c.schoolCode },
          ]}
        />
      </Section>
    </div>
  );
}
