import { call, post } from '../api.js';
import { ActionForm, text } from '../components/action-form.js';
import { CountyFilter, useCounty, useFilter, useOffset } from '../components/county-filter.js';
import { Ladder } from '../components/ladder.js';
import { EnumSelect, ErrorBox, Field, Pager, Section, Table, when, yuan } from '../components/ui.js';
import { label, t } from '../i18n/index.js';
import { can } from '../logic/permissions.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';

export const FRONTS = ['dropout', 'aid', 'construction', 'rectification', 'work_team'] as const;

export interface Notice {
  id: string;
  kind: string;
  level: string;
  officialName: string;
  role?: string;
  channels?: string[];
  requestedAt: string;
  deliveredAt: string | null;
  failedAt: string | null;
}

export interface EscalationRow {
  id: string;
  breachType: string;
  front: string;
  countyCode: string;
  status: 'open' | 'resolved';
  level: string | null;
  nextLevel: string | null;
  nextStepAt: string | null;
  itemCount: number;
  openItemCount: number;
  openAmount: string;
  acknowledgedAt: string | null;
  openedAt: string;
  resolvedAt: string | null;
  notifications: Notice[];
}

export function noticeState(n: Notice): string {
  return n.deliveredAt ? 'delivered' : n.failedAt ? 'failed' : 'requested';
}

/** Acknowledge (确认收悉): recorded and shown; it stops nothing. */
export function AckButton(props: { id: string; done: () => void }) {
  return (
    <ActionForm
      label={t('esc.ack')}
      done={props.done}
      run={(d) => post('supervision', `/escalations/${props.id}/ack`, { note: text(d, 'note') || undefined })}
    >
      <Field label={t('esc.ackNote')}>
        <textarea name="note" rows={2} placeholder={t('esc.ackPlaceholder')} />
      </Field>
    </ActionForm>
  );
}

const LIMIT = 20;

/** 督办: every escalation per front and county, where it stands on the ladder, what was sent. */
export default function Escalations() {
  const { user, countyName } = useSession();
  const county = useCounty();
  const [status, setStatus] = useFilter('status');
  const [front, setFront] = useFilter('front');
  const offset = useOffset();
  const q = { county, status, front, limit: LIMIT, offset };
  const list = useData(`escalations:${JSON.stringify(q)}`, (signal) =>
    call<EscalationRow[]>('supervision', '/escalations', { query: q, signal }),
  );
  return (
    <div className="page">
      <Section title={t('nav.escalations')}>
        <div className="filters">
          <CountyFilter />
          <Field label={t('esc.status')}>
            <EnumSelect
              name="status"
              value={status}
              values={['open', 'resolved']}
              prefix="escStatus"
              onChange={setStatus}
            />
          </Field>
          <Field label={t('esc.front')}>
            <EnumSelect name="front" value={front} values={FRONTS} prefix="front" onChange={setFront} />
          </Field>
        </div>
        <ErrorBox error={list.error} />
        <Table
          label={t('nav.escalations')}
          rows={list.data?.items}
          rowKey={(e) => e.id}
          columns={[
            { key: 'county', title: t('common.county'), render: (e) => countyName(e.countyCode) },
            {
              key: 'front',
              title: t('esc.front'),
              render: (e) => <Link to={`/escalations/${e.id}`}>{label('front', e.front)}</Link>,
            },
            { key: 'status', title: t('esc.status'), render: (e) => label('escStatus', e.status) },
            {
              key: 'ladder',
              title: t('esc.ladder'),
              render: (e) => <Ladder level={e.level} next={e.nextLevel} />,
            },
            {
              key: 'items',
              title: t('esc.openItems'),
              render: (e) =>
                `${e.openItemCount} / ${e.itemCount}${Number(e.openAmount) > 0 ? ` · ${yuan(e.openAmount)}` : ''}`,
            },
            {
              key: 'notices',
              title: t('esc.notices'),
              render: (e) =>
                e.notifications.length === 0
                  ? '—'
                  : e.notifications
                      .map(
                        (n) =>
                          `${label('noticeKind', n.kind)}·${n.officialName}·${label('noticeState', noticeState(n))}`,
                      )
                      .join(t('common.clauseSep')),
            },
            {
              key: 'ack',
              title: t('esc.acknowledged'),
              render: (e) =>
                e.acknowledgedAt ? (
                  <span data-testid="acknowledged">{when(e.acknowledgedAt)}</span>
                ) : e.status === 'open' && can(user, 'escalation.ack') ? (
                  <AckButton id={e.id} done={list.reload} />
                ) : (
                  '—'
                ),
            },
            { key: 'opened', title: t('esc.opened'), render: (e) => when(e.openedAt) },
          ]}
        />
        {list.data && (
          <Pager offset={offset} limit={LIMIT} count={list.data.items.length} total={list.data.total} />
        )}
      </Section>
    </div>
  );
}
