import { get, post } from '../api.js';
import { ActionForm, text } from '../components/action-form.js';
import { EnumSelect, ErrorBox, Field, Loading, Section, Table, when } from '../components/ui.js';
import { label, t, withNote } from '../i18n/index.js';
import { allowedResolutions, caseMoves, type CaseLike } from '../logic/moves.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';
import { Deadline, today, type CaseRow } from './dropout.js';

const REASONS = [
  'poverty',
  'learning_difficulty',
  'illness',
  'disability',
  'work',
  'marriage',
  'other',
] as const;
const EXEMPT = ['moved_out', 'deceased', 'medically_certified'] as const;
const FINDINGS = ['not_in_registry', 'suspended', 'dropped'] as const;
const DISABILITY = ['none', 'mild', 'moderate', 'severe'] as const;
const METHODS = ['home_visit', 'phone', 'school_meeting', 'village_meeting', 'other'] as const;
const OUTCOMES = ['agreed_to_return', 'undecided', 'refused', 'not_reached'] as const;
const PERSUADER_ROLES = ['school', 'township', 'village', 'other'] as const;

type Case = CaseRow &
  CaseLike & {
    reason?: string | null;
    disabilityLevel?: string;
    persuaders: { school: string; township: string; village: string } | null;
    resolutionSchoolCode: string | null;
    exemptReason: string | null;
    closeEvidence: string | null;
    reopenCount: number;
  };

interface HistoryLine {
  seq: number;
  action: string;
  from: string | null;
  to: string;
  by: string;
  role: string;
  at: string;
  detail: Record<string, string | number | null> | null;
}

interface Attempt {
  id: string;
  attemptedOn: string;
  persuaders: { name: string; role: string }[];
  method: string;
  outcome: string;
  note: string | null;
}

function Select(props: { name: string; values: readonly string[]; prefix: string }) {
  return (
    <select name={props.name} required defaultValue={props.values[0]}>
      {props.values.map((v) => (
        <option key={v} value={v}>
          {label(props.prefix, v)}
        </option>
      ))}
    </select>
  );
}

/** One case (一生一案): its facts, history, persuasion attempts, and only the moves it allows. */
export default function DropoutCase(props: { params: Record<string, string> }) {
  const { user, countyName } = useSession();
  const id = props.params.id;
  const kase = useData(`case:${id}`, (s) => get<Case>('dropout-control', `/cases/${id}`, {}, s));
  const history = useData(`history:${id}`, (s) =>
    get<HistoryLine[]>('dropout-control', `/cases/${id}/history`, {}, s),
  );
  const attempts = useData(`attempts:${id}`, (s) =>
    get<Attempt[]>('dropout-control', `/cases/${id}/attempts`, {}, s),
  );
  const reload = () => {
    kase.reload();
    history.reload();
    attempts.reload();
  };
  if (kase.error) return <ErrorBox error={kase.error} />;
  const c = kase.data;
  if (!c) return <Loading />;
  const moves = caseMoves(c, user);
  const act = (move: string, body: unknown) => post('dropout-control', `/cases/${id}/${move}`, body);
  return (
    <div className="page">
      <Section title={t('case.title', { name: c.name ?? c.studentIdNumber })}>
        <dl className="facts">
          <dt>{t('case.idNumber')}</dt>
          <dd>
            <code>{c.studentIdNumber}</code>
          </dd>
          <dt>{t('common.county')}</dt>
          <dd>{countyName(c.countyCode)}</dd>
          <dt>{t('case.place')}</dt>
          <dd>{[c.township, c.village].filter(Boolean).join(' ') || '—'}</dd>
          <dt>{t('case.school')}</dt>
          <dd>{c.schoolCode}</dd>
          <dt>{t('case.state')}</dt>
          <dd data-testid="case-state">{label('caseState', c.state)}</dd>
          <dt>{t('case.deadline')}</dt>
          <dd>
            <Deadline deadline={c.deadline} />
          </dd>
          <dt>{t('case.finding')}</dt>
          <dd>{label('finding', c.finding)}</dd>
          {c.reason !== undefined && (
            <>
              <dt>{t('case.reason')}</dt>
              <dd>{label('reason', c.reason)}</dd>
              <dt>{t('case.placement')}</dt>
              <dd>
                {label('disability', c.disabilityLevel)} → {label('placement', c.expectedPlacement)}
              </dd>
            </>
          )}
          <dt>{t('case.persuaders')}</dt>
          <dd>
            {c.persuaders
              ? `${c.persuaders.school} / ${c.persuaders.township} / ${c.persuaders.village}`
              : '—'}
          </dd>
          <dt>{t('case.resolution')}</dt>
          <dd>
            {label('resolution', c.resolution)} {c.resolutionSchoolCode ?? ''}{' '}
            {c.exemptReason ? label('exempt', c.exemptReason) : ''}
          </dd>
          <dt>{t('case.household')}</dt>
          <dd>
            {c.householdId ? (
              <Link to={`/dropout/households/${encodeURIComponent(c.householdId)}`}>{c.householdId}</Link>
            ) : (
              '—'
            )}
          </dd>
        </dl>
        {moves.length > 0 && (
          <div className="actions" data-testid="case-moves">
            {moves.includes('verify') && (
              <ActionForm
                label={t('move.verify')}
                done={reload}
                run={(d) => act('verify', { reason: text(d, 'reason') })}
              >
                <Field label={t('case.reason')}>
                  <Select name="reason" values={REASONS} prefix="reason" />
                </Field>
              </ActionForm>
            )}
            {moves.includes('plan') && (
              <ActionForm
                label={t('move.plan')}
                done={reload}
                run={(d) =>
                  act('plan', {
                    persuaders: {
                      school: text(d, 'school'),
                      township: text(d, 'township'),
                      village: text(d, 'village'),
                    },
                  })
                }
              >
                <Field label={t('persuader.school')}>
                  <input name="school" required />
                </Field>
                <Field label={t('persuader.township')}>
                  <input name="township" required />
                </Field>
                <Field label={t('persuader.village')}>
                  <input name="village" required />
                </Field>
              </ActionForm>
            )}
            {moves.includes('attempt') && (
              <ActionForm
                label={t('move.attempt')}
                done={reload}
                run={(d) =>
                  act('attempts', {
                    attemptedOn: text(d, 'attemptedOn'),
                    persuaders: [{ name: text(d, 'persuader'), role: text(d, 'role') }],
                    method: text(d, 'method'),
                    outcome: text(d, 'outcome'),
                    note: text(d, 'note') || undefined,
                  })
                }
              >
                <Field label={t('attempt.on')}>
                  <input name="attemptedOn" type="date" defaultValue={today()} required />
                </Field>
                <Field label={t('attempt.persuader')}>
                  <input name="persuader" required />
                </Field>
                <Field label={t('attempt.role')}>
                  <Select name="role" values={PERSUADER_ROLES} prefix="persuader" />
                </Field>
                <Field label={t('attempt.method')}>
                  <Select name="method" values={METHODS} prefix="method" />
                </Field>
                <Field label={t('attempt.outcome')}>
                  <Select name="outcome" values={OUTCOMES} prefix="outcome" />
                </Field>
                <Field label={t('attempt.note')}>
                  <textarea name="note" rows={2} />
                </Field>
              </ActionForm>
            )}
            {moves.includes('assess') && (
              <ActionForm
                label={t('move.assess')}
                done={reload}
                run={(d) => act('assess', { disabilityLevel: text(d, 'disabilityLevel') })}
              >
                <Field label={t('case.disability')}>
                  <Select name="disabilityLevel" values={DISABILITY} prefix="disability" />
                </Field>
              </ActionForm>
            )}
            {moves.includes('resolve') && (
              <ActionForm
                label={t('move.resolve')}
                done={reload}
                run={(d) => {
                  const resolution = text(d, 'resolution');
                  return act(
                    'resolve',
                    resolution === 'exempt'
                      ? {
                          resolution,
                          exemptReason: text(d, 'exemptReason'),
                          exemptDocument: text(d, 'exemptDocument'),
                        }
                      : { resolution, schoolCode: text(d, 'schoolCode') || undefined },
                  );
                }}
              >
                <Field label={t('case.resolution')}>
                  <Select name="resolution" values={allowedResolutions(c)} prefix="resolution" />
                </Field>
                <Field label={t('resolve.school')}>
                  <input name="schoolCode" />
                </Field>
                <Field label={t('resolve.exemptReason')}>
                  <EnumSelect
                    name="exemptReason"
                    value=""
                    values={EXEMPT}
                    prefix="exempt"
                    onChange={() => undefined}
                  />
                </Field>
                <Field label={t('resolve.exemptDocument')}>
                  <input name="exemptDocument" />
                </Field>
              </ActionForm>
            )}
            {moves.includes('close') && (
              <ActionForm
                label={t('move.close')}
                done={reload}
                run={(d) => act('close', { evidence: text(d, 'evidence') })}
              >
                <Field label={t('close.evidence')}>
                  <textarea name="evidence" rows={2} required />
                </Field>
              </ActionForm>
            )}
            {moves.includes('reopen') && (
              <ActionForm
                label={t('move.reopen')}
                done={reload}
                run={(d) => act('reopen', { finding: text(d, 'finding') })}
              >
                <Field label={t('case.finding')}>
                  <Select name="finding" values={FINDINGS} prefix="finding" />
                </Field>
              </ActionForm>
            )}
          </div>
        )}
      </Section>
      <Section title={t('case.history')}>
        <ErrorBox error={history.error} />
        <Table
          label={t('case.history')}
          rows={history.data}
          rowKey={(h) => String(h.seq)}
          columns={[
            { key: 'at', title: t('common.time'), render: (h) => when(h.at) },
            { key: 'action', title: t('common.action'), render: (h) => label('caseAction', h.action) },
            {
              key: 'to',
              title: t('case.state'),
              render: (h) => `${label('caseState', h.from)} → ${label('caseState', h.to)}`,
            },
            { key: 'by', title: t('common.by'), render: (h) => withNote(h.by, label('role', h.role)) },
            {
              key: 'detail',
              title: t('common.detail'),
              render: (h) =>
                h.detail
                  ? Object.entries(h.detail)
                      .filter(([, v]) => v !== null)
                      .map(([k, v]) => `${k}: ${v}`)
                      .join(t('common.clauseSep'))
                  : '',
            },
          ]}
        />
      </Section>
      <Section title={t('case.attemptsTitle')}>
        <ErrorBox error={attempts.error} />
        <Table
          label={t('case.attemptsTitle')}
          rows={attempts.data}
          rowKey={(a) => a.id}
          columns={[
            { key: 'on', title: t('attempt.on'), render: (a) => a.attemptedOn },
            {
              key: 'who',
              title: t('attempt.persuader'),
              render: (a) =>
                a.persuaders
                  .map((p) => withNote(p.name, label('persuader', p.role)))
                  .join(t('common.listSep')),
            },
            { key: 'method', title: t('attempt.method'), render: (a) => label('method', a.method) },
            { key: 'outcome', title: t('attempt.outcome'), render: (a) => label('outcome', a.outcome) },
            { key: 'note', title: t('attempt.note'), render: (a) => a.note ?? '' },
          ]}
        />
      </Section>
    </div>
  );
}
