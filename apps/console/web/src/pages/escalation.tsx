import { call, get } from '../api.js';
import { Ladder } from '../components/ladder.js';
import { ErrorBox, Loading, Section, Table, when, yuan } from '../components/ui.js';
import { label, labelled, t, withNote } from '../i18n/index.js';
import { can } from '../logic/permissions.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';
import { AckButton, noticeState, type EscalationRow, type Notice } from './escalations.js';

interface Detail extends Omit<EscalationRow, 'notifications'> {
  notifications: Notice[];
  steps: {
    stepIndex: number;
    level: string;
    outcome: string;
    reason: string | null;
    at: string;
    openAmount: string;
  }[];
  acknowledgements: { by: string; role: string; note: string | null; at: string }[];
  openItemsByKind: { kind: string; count: number; amount: string }[];
}

interface Message {
  id: string;
  channel: string;
  kind: string;
  recipient: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
}

interface InterviewRow {
  id: string;
  number: string;
  escalationId: string;
  status: string;
}

/** One escalation: the ladder so far, the notices requested and how each message fared. */
export default function EscalationPage(props: { params: Record<string, string> }) {
  const { user, countyName } = useSession();
  const id = props.params.id;
  const e = useData(`escalation:${id}`, (s) => get<Detail>('supervision', `/escalations/${id}`, {}, s));
  const messages = useData(`messages:${id}`, (s) =>
    call<Message[]>('notifications', '/notifications', {
      query: { escalationId: id, limit: 100 },
      signal: s,
    }),
  );
  const interviews = useData(`interviews-of:${e.data?.countyCode ?? ''}`, (s) =>
    e.data
      ? get<InterviewRow[]>('supervision', '/interviews', { county: e.data.countyCode }, s)
      : Promise.resolve([]),
  );
  if (e.error) return <ErrorBox error={e.error} />;
  const d = e.data;
  if (!d) return <Loading />;
  const mine = interviews.data?.filter((i) => i.escalationId === id) ?? [];
  return (
    <div className="page">
      <Section title={t('esc.title', { county: countyName(d.countyCode), front: label('front', d.front) })}>
        <dl className="facts">
          <dt>{t('esc.status')}</dt>
          <dd>{label('escStatus', d.status)}</dd>
          <dt>{t('esc.ladder')}</dt>
          <dd>
            <Ladder level={d.level} next={d.nextLevel} />{' '}
            {d.nextStepAt && d.status === 'open' && t('esc.nextAt', { at: when(d.nextStepAt) })}
          </dd>
          <dt>{t('esc.openItems')}</dt>
          <dd>
            {d.openItemsByKind
              .map((k) =>
                Number(k.amount) > 0
                  ? withNote(`${label('itemKind', k.kind)} ${k.count}`, yuan(k.amount))
                  : `${label('itemKind', k.kind)} ${k.count}`,
              )
              .join(t('common.clauseSep')) || '—'}
          </dd>
          <dt>{t('esc.opened')}</dt>
          <dd>{when(d.openedAt)}</dd>
          <dt>{t('esc.acknowledged')}</dt>
          <dd>
            {d.acknowledgements.length === 0
              ? '—'
              : d.acknowledgements
                  .map((a) => (a.note ? labelled(`${when(a.at)} ${a.by}`, a.note) : `${when(a.at)} ${a.by}`))
                  .join(t('common.clauseSep'))}
          </dd>
          <dt>{t('nav.interviews')}</dt>
          <dd>
            {mine.length === 0
              ? '—'
              : mine.map((i) => (
                  <Link key={i.id} to={`/interviews/${i.id}`}>
                    {withNote(i.number, label('interviewStatus', i.status))}
                  </Link>
                ))}
          </dd>
        </dl>
        {d.status === 'open' && can(user, 'escalation.ack') && <AckButton id={id} done={e.reload} />}
      </Section>
      <Section title={t('esc.steps')}>
        <Table
          label={t('esc.steps')}
          rows={d.steps}
          rowKey={(s) => `${s.stepIndex}${s.at}`}
          columns={[
            { key: 'at', title: t('common.time'), render: (s) => when(s.at) },
            { key: 'level', title: t('esc.level'), render: (s) => label('level', s.level) },
            { key: 'outcome', title: t('esc.outcome'), render: (s) => label('stepOutcome', s.outcome) },
            { key: 'reason', title: t('common.detail'), render: (s) => s.reason ?? '' },
          ]}
        />
      </Section>
      <Section title={t('esc.notices')}>
        <Table
          label={t('esc.notices')}
          rows={d.notifications}
          rowKey={(n) => n.id}
          columns={[
            { key: 'kind', title: t('esc.noticeKind'), render: (n) => label('noticeKind', n.kind) },
            { key: 'who', title: t('esc.official'), render: (n) => n.officialName },
            { key: 'at', title: t('esc.requested'), render: (n) => when(n.requestedAt) },
            { key: 'state', title: t('esc.delivery'), render: (n) => label('noticeState', noticeState(n)) },
          ]}
        />
        <h3>{t('esc.messages')}</h3>
        <ErrorBox error={messages.error} />
        <Table
          label={t('esc.messages')}
          rows={messages.data?.items}
          rowKey={(m) => m.id}
          columns={[
            { key: 'channel', title: t('esc.channel'), render: (m) => label('channel', m.channel) },
            { key: 'kind', title: t('esc.noticeKind'), render: (m) => label('noticeKind', m.kind) },
            { key: 'to', title: t('esc.recipient'), render: (m) => m.recipient },
            { key: 'status', title: t('esc.delivery'), render: (m) => label('messageStatus', m.status) },
            { key: 'attempts', title: t('esc.attempts'), render: (m) => m.attempts, className: 'num' },
            {
              key: 'when',
              title: t('common.time'),
              render: (m) => when(m.deliveredAt ?? m.sentAt ?? m.failedAt ?? m.createdAt),
            },
            { key: 'error', title: t('common.detail'), render: (m) => m.lastError ?? '' },
          ]}
        />
      </Section>
    </div>
  );
}
