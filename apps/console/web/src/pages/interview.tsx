import { get, post } from '../api.js';
import { ActionForm, text } from '../components/action-form.js';
import { ErrorBox, Field, Loading, Section, Table, when, yuan } from '../components/ui.js';
import { label, labelled, t, withNote } from '../i18n/index.js';
import { can } from '../logic/permissions.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';
import type { InterviewView } from './interviews.js';

/** The services name documents by their own path; the console reaches them under /api/supervision. */
const viaConsole = (path: string) => path.replace(/^\/api\//, '/api/supervision/');

/**
 * The document as the service generated it. The service forbids framing its answers, so the
 * page fetches the HTML and shows it in a sandboxed frame of its own (no scripts, no forms).
 */
function DocumentView(props: { url: string; title: string }) {
  const html = useData(`doc:${props.url}`, (signal) =>
    fetch(props.url, { credentials: 'same-origin', signal }).then((r) => {
      if (!r.ok) throw new Error(`HTTP ${r.status}`);
      return r.text();
    }),
  );
  if (html.error) return <ErrorBox error={html.error} />;
  if (html.data === undefined) return <Loading />;
  return <iframe className="document" title={props.title} sandbox="" srcDoc={html.data} />;
}

/** One interview (约谈): the notice and minutes as generated, holding it and recording minutes. */
export default function InterviewPage(props: { params: Record<string, string> }) {
  const { user, countyName } = useSession();
  const id = props.params.id;
  const i = useData(`interview:${id}`, (s) => get<InterviewView>('supervision', `/interviews/${id}`, {}, s));
  if (i.error) return <ErrorBox error={i.error} />;
  const d = i.data;
  if (!d) return <Loading />;
  const docs = Object.entries(d.documents);
  return (
    <div className="page">
      <Section title={t('interview.title', { number: d.number })}>
        <dl className="facts">
          <dt>{t('common.county')}</dt>
          <dd>{countyName(d.countyCode)}</dd>
          <dt>{t('esc.front')}</dt>
          <dd>{label('front', d.front)}</dd>
          <dt>{t('esc.status')}</dt>
          <dd data-testid="interview-status">{label('interviewStatus', d.status)}</dd>
          <dt>{t('interview.subject')}</dt>
          <dd>{d.subject}</dd>
          <dt>{t('interview.interviewees')}</dt>
          <dd>{d.interviewees.map((p) => withNote(p.name, p.title)).join(t('common.listSep'))}</dd>
          <dt>{t('interview.interviewer')}</dt>
          <dd>{withNote(d.interviewer.name, d.interviewer.title)}</dd>
          <dt>{t('interview.scheduled')}</dt>
          <dd>
            {when(d.scheduledAt)} {d.place ?? ''}
          </dd>
          <dt>{t('interview.held')}</dt>
          <dd>
            {when(d.heldAt)} {d.attendees?.join(t('common.listSep')) ?? ''}
          </dd>
          <dt>{t('interview.escalation')}</dt>
          <dd>
            <Link to={`/escalations/${d.escalationId}`}>{t('interview.toEscalation')}</Link>
          </dd>
          <dt>{t('interview.documents')}</dt>
          <dd>
            {docs.map(([name, doc]) => (
              <span key={name} className="doc-links">
                {labelled(label('document', name), '')}
                <a href={viaConsole(doc.html)} target="_blank" rel="noreferrer">
                  HTML
                </a>{' '}
                <a href={viaConsole(doc.pdf)} target="_blank" rel="noreferrer">
                  PDF
                </a>
              </span>
            ))}
          </dd>
        </dl>
        <div className="actions">
          {d.status === 'noticed' && can(user, 'interview.hold') && (
            <ActionForm
              label={t('interview.hold')}
              done={i.reload}
              run={(f) =>
                post('supervision', `/interviews/${id}/held`, {
                  heldAt: new Date(text(f, 'heldAt')).toISOString(),
                  attendees: text(f, 'attendees')
                    .split(/[\n，,]/)
                    .map((s) => s.trim())
                    .filter(Boolean),
                })
              }
            >
              <Field label={t('interview.heldAt')}>
                <input type="datetime-local" name="heldAt" required />
              </Field>
              <Field label={t('interview.attendees')}>
                <textarea name="attendees" rows={2} />
              </Field>
            </ActionForm>
          )}
          {d.status === 'held' && can(user, 'interview.minutes') && (
            <ActionForm
              label={t('interview.recordMinutes')}
              done={i.reload}
              run={(f) =>
                post('supervision', `/interviews/${id}/minutes`, {
                  summary: text(f, 'summary'),
                  commitments: text(f, 'commitments')
                    .split('\n')
                    .map((s) => s.trim())
                    .filter(Boolean),
                  followUpDueOn: text(f, 'followUpDueOn'),
                })
              }
            >
              <Field label={t('interview.summary')}>
                <textarea name="summary" rows={4} required />
              </Field>
              <Field label={t('interview.commitments')}>
                <textarea name="commitments" rows={3} required placeholder={t('interview.onePerLine')} />
              </Field>
              <Field label={t('interview.followUpDueOn')}>
                <input type="date" name="followUpDueOn" required />
              </Field>
            </ActionForm>
          )}
        </div>
      </Section>
      <Section title={t('interview.issues')}>
        <Table
          label={t('interview.issues')}
          rows={d.issues}
          rowKey={(x) => x.kind}
          columns={[
            { key: 'name', title: t('interview.issue'), render: (x) => x.name },
            { key: 'count', title: t('esc.openItems'), render: (x) => x.count, className: 'num' },
            {
              key: 'amount',
              title: t('aid.amountDue'),
              render: (x) => (Number(x.amount) > 0 ? yuan(x.amount) : '—'),
              className: 'num',
            },
          ]}
        />
      </Section>
      {d.minutes && (
        <Section title={t('interview.minutes')}>
          <p className="prose">{d.minutes.summary}</p>
          <ol>
            {d.minutes.commitments.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ol>
          <p>{t('interview.followUpDue', { date: d.followUpDueOn ?? '—' })}</p>
        </Section>
      )}
      {docs.map(([name, doc]) => (
        <Section key={name} title={label('document', name)}>
          <DocumentView url={viaConsole(doc.html)} title={label('document', name)} />
        </Section>
      ))}
    </div>
  );
}
