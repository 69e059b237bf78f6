import { useMemo } from 'react';
import { call, get, post } from '../api.js';
import { ActionForm, text } from '../components/action-form.js';
import { Chart, ErrorBox, Field, Loading, Section, Table, yuan } from '../components/ui.js';
import { label, t, withNote } from '../i18n/index.js';
import { can } from '../logic/permissions.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';
import '../charts/gantt-parts.js';
import type { Project } from './construction.js';
import { today } from './dropout.js';

interface Report {
  id: string;
  reportedOn: string;
  percentComplete: number;
  narrative: string | null;
  spentToDate: string | null;
  reportedBy: string;
}

const DAY = 86_400_000;
const ms = (date: string) => Date.parse(`${date}T00:00:00+08:00`);

/**
 * A Gantt-like timeline: per milestone the planned span (from the previous milestone's
 * planned date) and the actual one (to its completion, or to today while it is late).
 */
function timeline(p: Project) {
  const now = ms(today());
  const kinds = p.milestones.map((m) => label('milestone', m.kind));
  const planned = p.milestones.map((m, i) => {
    const from = i === 0 ? ms(p.registeredOn) : ms(p.milestones[i - 1].plannedDate);
    return { value: [i, from, Math.max(ms(m.plannedDate), from + DAY)] };
  });
  const actual = p.milestones.flatMap((m, i) => {
    const from =
      i === 0 ? ms(p.registeredOn) : ms(p.milestones[i - 1].completedOn ?? p.milestones[i - 1].plannedDate);
    const late = m.completedOn ? m.completedOn > m.plannedDate : now > ms(m.plannedDate);
    const to = m.completedOn ? ms(m.completedOn) : late ? now : null;
    if (to === null) return [];
    return [
      { value: [i, from, Math.max(to, from + DAY)], itemStyle: { color: late ? '#c0392b' : '#2e8b57' } },
    ];
  });
  const bar =
    (shift: number) =>
    (
      _: unknown,
      api: {
        value: (i: number) => number;
        coord: (v: number[]) => number[];
        size: (v: number[]) => number[];
        style: () => object;
      },
    ) => {
      const start = api.coord([api.value(1), api.value(0)]);
      const end = api.coord([api.value(2), api.value(0)]);
      const h = api.size([0, 1])[1] * 0.3;
      return {
        type: 'rect',
        shape: {
          x: start[0],
          y: start[1] + shift * h - h / 2,
          width: Math.max(end[0] - start[0], 2),
          height: h,
        },
        style: api.style(),
      };
    };
  return {
    tooltip: {
      formatter: (x: { seriesName: string; value: number[] }) =>
        `${x.seriesName} ${kinds[x.value[0]]}<br/>${new Date(x.value[1]).toLocaleDateString('zh-CN')} → ${new Date(x.value[2]).toLocaleDateString('zh-CN')}`,
    },
    legend: { top: 0, data: [t('project.planned'), t('project.actual')] },
    grid: { left: 90, right: 30, top: 36, bottom: 30 },
    xAxis: { type: 'time' },
    yAxis: { type: 'category', data: kinds, inverse: true },
    series: [
      {
        type: 'custom',
        name: t('project.planned'),
        renderItem: bar(-0.6),
        itemStyle: { color: '#9aa7b4' },
        encode: { x: [1, 2], y: 0 },
        data: planned,
        markLine: { symbol: 'none', label: { formatter: t('common.today') }, data: [{ xAxis: now }] },
      },
      {
        type: 'custom',
        name: t('project.actual'),
        renderItem: bar(0.6),
        itemStyle: { color: '#2e8b57' },
        encode: { x: [1, 2], y: 0 },
        data: actual,
      },
    ],
  };
}

/** One project: figures, milestone timeline, progress reports; completing a milestone. */
export default function ProjectPage(props: { params: Record<string, string> }) {
  const { user, countyName } = useSession();
  const id = props.params.id;
  const project = useData(`project:${id}`, (s) =>
    get<Project>('school-construction', `/projects/${id}`, {}, s),
  );
  const reports = useData(`reports:${id}`, (s) =>
    call<Report[]>('school-construction', `/projects/${id}/progress-reports`, {
      query: { limit: 50 },
      signal: s,
    }),
  );
  const option = useMemo(() => (project.data ? timeline(project.data) : null), [project.data]);
  if (project.error) return <ErrorBox error={project.error} />;
  const p = project.data;
  if (!p || !option) return <Loading />;
  const open = p.milestones.filter((m) => !m.completedOn);
  return (
    <div className="page">
      <Section title={withNote(p.name, p.code)}>
        <dl className="facts">
          <dt>{t('common.county')}</dt>
          <dd>{countyName(p.countyCode)}</dd>
          <dt>{t('project.kind')}</dt>
          <dd>{label('projectKind', p.kind)}</dd>
          <dt>{t('site.site')}</dt>
          <dd>{p.siteCode ?? '—'}</dd>
          <dt>{t('project.capacity')}</dt>
          <dd>{t('project.seatsBeds', { seats: p.capacitySeats, beds: p.capacityBeds })}</dd>
          <dt>{t('project.budget')}</dt>
          <dd>
            {yuan(p.spentToDate)} / {yuan(p.budget)}
          </dd>
          <dt>{t('project.percent')}</dt>
          <dd>{p.percentComplete === null ? '—' : `${p.percentComplete}%`}</dd>
          <dt>{t('project.flags')}</dt>
          <dd>
            {[
              p.stalledSince && t('project.stalledSince', { date: p.stalledSince }),
              p.overrunSince && t('project.overrunSince', { date: p.overrunSince }),
            ]
              .filter(Boolean)
              .join(t('common.listSep')) || '—'}
          </dd>
        </dl>
      </Section>
      <Section title={t('project.timeline')}>
        <Chart option={option} height={60 + 44 * p.milestones.length} label={t('project.timeline')} />
        <Table
          label={t('project.milestones')}
          rows={p.milestones}
          rowKey={(m) => m.id}
          columns={[
            { key: 'kind', title: t('project.milestone'), render: (m) => label('milestone', m.kind) },
            { key: 'planned', title: t('project.planned'), render: (m) => m.plannedDate },
            { key: 'done', title: t('project.actual'), render: (m) => m.completedOn ?? '—' },
            {
              key: 'late',
              title: t('project.flags'),
              render: (m) =>
                m.overdueSince ? (
                  <span className="late">{t('common.overdueSince', { date: m.overdueSince })}</span>
                ) : (
                  '—'
                ),
            },
          ]}
        />
        {can(user, 'case.work') && open.length > 0 && (
          <ActionForm
            label={t('project.complete')}
            done={project.reload}
            run={(d) =>
              post('school-construction', `/projects/${id}/milestones/${text(d, 'kind')}/complete`, {
                completedOn: text(d, 'completedOn'),
              })
            }
          >
            <Field label={t('project.milestone')}>
              <select name="kind" defaultValue={open[0].kind}>
                {open.map((m) => (
                  <option key={m.kind} value={m.kind}>
                    {label('milestone', m.kind)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t('project.completedOn')}>
              <input type="date" name="completedOn" defaultValue={today()} required />
            </Field>
          </ActionForm>
        )}
      </Section>
      <Section title={t('project.reports')}>
        <ErrorBox error={reports.error} />
        <Table
          label={t('project.reports')}
          rows={reports.data?.items}
          rowKey={(r) => r.id}
          columns={[
            { key: 'on', title: t('common.date'), render: (r) => r.reportedOn },
            {
              key: 'pct',
              title: t('project.percent'),
              render: (r) => `${r.percentComplete}%`,
              className: 'num',
            },
            { key: 'spent', title: t('project.spent'), render: (r) => yuan(r.spentToDate), className: 'num' },
            { key: 'text', title: t('common.detail'), render: (r) => r.narrative ?? '' },
            { key: 'by', title: t('common.by'), render: (r) => r.reportedBy },
          ]}
        />
      </Section>
    </div>
  );
}
