import { call } from '../api.js';
import { CountyFilter, useCounty, useFilter, useOffset } from '../components/county-filter.js';
import { EnumSelect, ErrorBox, Field, Pager, Section, Table, when } from '../components/ui.js';
import { label, t, withNote } from '../i18n/index.js';
import { navigate } from '../router.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';

export const INTERVIEW_STATUSES = ['noticed', 'held', 'minutes_recorded', 'follow_up_due'] as const;

export interface Person {
  name: string;
  title: string;
}

export interface InterviewView {
  id: string;
  number: string;
  escalationId: string;
  countyCode: string;
  countyName: string;
  front: string;
  status: string;
  subject: string;
  interviewees: Person[];
  interviewer: Person;
  issues: { kind: string; name: string; count: number; amount: string }[];
  recurrence: boolean;
  urgent: boolean;
  scheduledAt: string | null;
  place: string | null;
  noticedAt: string;
  heldAt: string | null;
  attendees: string[] | null;
  minutes: { summary: string; commitments: string[] } | null;
  followUpDueOn: string | null;
  documents: Record<string, { pdf: string; html: string }>;
}

const LIMIT = 20;

/** 约谈: every interview notice, its meeting and minutes. */
export default function Interviews() {
  const { countyName } = useSession();
  const county = useCounty();
  const [status, setStatus] = useFilter('status');
  const offset = useOffset();
  const q = { county, status, limit: LIMIT, offset };
  const list = useData(`interviews:${JSON.stringify(q)}`, (signal) =>
    call<InterviewView[]>('supervision', '/interviews', { query: q, signal }),
  );
  return (
    <div className="page">
      <Section title={t('nav.interviews')}>
        <div className="filters">
          <CountyFilter />
          <Field label={t('esc.status')}>
            <EnumSelect
              name="status"
              value={status}
              values={INTERVIEW_STATUSES}
              prefix="interviewStatus"
              onChange={setStatus}
            />
          </Field>
        </div>
        <ErrorBox error={list.error} />
        <Table
          label={t('nav.interviews')}
          rows={list.data?.items}
          rowKey={(i) => i.id}
          onRowClick={(i) => navigate(`/interviews/${i.id}`)}
          columns={[
            { key: 'number', title: t('interview.number'), render: (i) => i.number },
            { key: 'county', title: t('common.county'), render: (i) => countyName(i.countyCode) },
            { key: 'front', title: t('esc.front'), render: (i) => label('front', i.front) },
            {
              key: 'who',
              title: t('interview.interviewees'),
              render: (i) => i.interviewees.map((p) => withNote(p.name, p.title)).join(t('common.listSep')),
            },
            {
              key: 'when',
              title: t('interview.scheduled'),
              render: (i) => `${when(i.scheduledAt)} ${i.place ?? ''}`,
            },
            { key: 'status', title: t('esc.status'), render: (i) => label('interviewStatus', i.status) },
          ]}
        />
        {list.data && (
          <Pager offset={offset} limit={LIMIT} count={list.data.items.length} total={list.data.total} />
        )}
      </Section>
    </div>
  );
}
