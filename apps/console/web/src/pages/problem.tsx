import { get, post } from '../api.js';
import { ActionForm, text } from '../components/action-form.js';
import { ErrorBox, Field, Loading, Section, Table, when } from '../components/ui.js';
import { label, t } from '../i18n/index.js';
import { problemMoves } from '../logic/moves.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';
import type { Problem } from './rectification.js';

/** One problem: its evidence, asking to close it, and the second person's decision. */
export default function ProblemPage(props: { params: Record<string, string> }) {
  const { user, countyName } = useSession();
  const id = props.params.id;
  const p = useData(`problem:${id}`, (s) =>
    get<Problem>('supervision', `/rectification/problems/${id}`, {}, s),
  );
  if (p.error) return <ErrorBox error={p.error} />;
  const d = p.data;
  if (!d) return <Loading />;
  const moves = problemMoves(d, user);
  const act = (path: string, body: unknown = {}) =>
    post('supervision', `/rectification/problems/${id}/${path}`, body);
  return (
    <div className="page">
      <Section title={t('problem.title', { ref: d.ref })}>
        <dl className="facts">
          <dt>{t('common.county')}</dt>
          <dd>{countyName(d.countyCode)}</dd>
          <dt>{t('problem.source')}</dt>
          <dd>{label('problemSource', d.source)}</dd>
          <dt>{t('problem.front')}</dt>
          <dd>{label('problemFront', d.front)}</dd>
          <dt>{t('problem.description')}</dt>
          <dd className="prose">{d.description}</dd>
          <dt>{t('problem.measures')}</dt>
          <dd className="prose">{d.measures}</dd>
          <dt>{t('problem.deadline')}</dt>
          <dd className={d.overdue ? 'late' : undefined}>{d.deadline ?? t('problem.noDeadline')}</dd>
          <dt>{t('problem.department')}</dt>
          <dd>{d.leadDepartment}</dd>
          <dt>{t('problem.leader')}</dt>
          <dd>{d.responsibleLeader}</dd>
          <dt>{t('problem.status')}</dt>
          <dd data-testid="problem-status">{label('problemStatus', d.status)}</dd>
          {d.closureRequestedBy && (
            <>
              <dt>{t('problem.requestedBy')}</dt>
              <dd>
                {d.closureRequestedBy} {when(d.closureRequestedAt)}
              </dd>
            </>
          )}
          {d.closureRejectedReason && (
            <>
              <dt>{t('problem.rejected')}</dt>
              <dd>{d.closureRejectedReason}</dd>
            </>
          )}
          {d.closedBy && (
            <>
              <dt>{t('problem.closedBy')}</dt>
              <dd>
                {d.closedBy} {when(d.closedAt)}
              </dd>
            </>
          )}
        </dl>
        <div className="actions">
          {moves.includes('evidence') && (
            <ActionForm
              label={t('problem.addEvidence')}
              done={p.reload}
              run={(f) =>
                act('evidence', {
                  evidence: [
                    { reference: text(f, 'reference'), description: text(f, 'description') || undefined },
                  ],
                })
              }
            >
              <Field label={t('problem.reference')}>
                <input name="reference" required placeholder={t('problem.referenceExample')} />
              </Field>
              <Field label={t('common.detail')}>
                <input name="description" />
              </Field>
            </ActionForm>
          )}
          {moves.includes('requestClosure') && (
            <ActionForm
              label={t('problem.requestClosure')}
              done={p.reload}
              run={() => act('closure-request')}
            />
          )}
          {moves.includes('approveClosure') && (
            <ActionForm
              label={t('problem.approveClosure')}
              done={p.reload}
              run={() => act('closure-approval')}
            />
          )}
          {moves.includes('rejectClosure') && (
            <ActionForm
              label={t('problem.rejectClosure')}
              done={p.reload}
              run={(f) => act('closure-rejection', { reason: text(f, 'reason') })}
            >
              <Field label={t('problem.reason')}>
                <textarea name="reason" rows={2} required />
              </Field>
            </ActionForm>
          )}
          {d.status === 'closure_requested' && d.closureRequestedBy === user.sub && (
            <p className="muted">{t('problem.waitingForSecond')}</p>
          )}
        </div>
      </Section>
      <Section title={t('problem.evidence')}>
        <Table
          label={t('problem.evidence')}
          rows={d.evidence}
          rowKey={(e) => e.reference + e.addedAt}
          empty={t('problem.noEvidence')}
          columns={[
            { key: 'ref', title: t('problem.reference'), render: (e) => e.reference },
            { key: 'desc', title: t('common.detail'), render: (e) => e.description ?? '' },
            { key: 'by', title: t('common.by'), render: (e) => `${e.addedBy} ${when(e.addedAt)}` },
          ]}
        />
      </Section>
    </div>
  );
}
