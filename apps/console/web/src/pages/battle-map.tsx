import { useMemo } from 'react';
import { get } from '../api.js';
import { Chart, ErrorBox, Loading, Rag, Section, when, yuan } from '../components/ui.js';
import { label, t } from '../i18n/index.js';
import { Link, setQuery, useLocation } from '../router.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';

type Status = 'red' | 'amber' | 'green';

interface FrontCell {
  front: string;
  frontName: string;
  openBreaches: number;
  overdueItems: number;
  level: string | null;
  amountUnpaid: string;
  status: Status;
  rule: { index: number; description: string } | null;
}

interface CountyRow {
  countyCode: string;
  countyName: string;
  status: Status;
  fronts: FrontCell[];
}

interface Board {
  asOf: string;
  rulesVersion: number | null;
  counties: CountyRow[];
}

/** Where a tile leads: the items behind the number. */
export function itemsOf(front: string, county: string): string {
  switch (front) {
    case 'dropout':
      return `/dropout?county=${county}`;
    case 'aid':
      return `/aid?county=${county}&tab=breaches`;
    case 'construction':
      return `/construction?county=${county}&status=breach`;
    case 'rectification':
      return `/rectification?county=${county}&status=open`;
    default:
      return `/escalations?county=${county}&front=${front}`;
  }
}

const REFRESH_MS = 10_000;

function Tile(props: { county: string; cell: FrontCell }) {
  const c = props.cell;
  return (
    <Link
      to={itemsOf(c.front, props.county)}
      className={`tile tile-${c.status}`}
      title={c.rule?.description ?? undefined}
    >
      <span className="tile-front">{label('front', c.front)}</span>
      <Rag status={c.status} />
      <span className="tile-rule" data-testid="rule">
        {c.rule?.description ?? t('map.noRule')}
      </span>
      <dl>
        <dt>{t('map.openBreaches')}</dt>
        <dd data-testid={`open-${c.front}`}>{c.openBreaches}</dd>
        <dt>{t('map.overdueItems')}</dt>
        <dd>{c.overdueItems}</dd>
        <dt>{t('map.level')}</dt>
        <dd>{c.level ? label('level', c.level) : t('map.noEscalation')}</dd>
        {Number(c.amountUnpaid) > 0 && (
          <>
            <dt>{t('map.unpaid')}</dt>
            <dd>{yuan(c.amountUnpaid)}</dd>
          </>
        )}
      </dl>
    </Link>
  );
}

interface Week {
  week: string;
  counties: CountyRow[];
}

function Trend(props: { county: string }) {
  const history = useData(`history:${props.county}`, (signal) =>
    get<Week[]>('supervision', '/battle-map/history', { county: props.county }, signal),
  );
  const option = useMemo(() => {
    const weeks = history.data ?? [];
    const fronts = weeks[0]?.counties[0]?.fronts.map((f) => f.front) ?? [];
    const cell = (w: Week, front: string) => w.counties[0]?.fronts.find((f) => f.front === front);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 40, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: weeks.map((w) => w.week) },
      yAxis: [
        { type: 'value', name: t('map.openBreaches'), minInterval: 1 },
        { type: 'value', name: t('map.overdueItems'), minInterval: 1 },
      ],
      series: [
        ...fronts.map((front) => ({
          type: 'line',
          name: label('front', front),
          data: weeks.map((w) => cell(w, front)?.openBreaches ?? 0),
        })),
        {
          type: 'bar',
          name: t('map.overdueItems'),
          yAxisIndex: 1,
          barMaxWidth: 16,
          itemStyle: { opacity: 0.35 },
          data: weeks.map((w) => fronts.reduce((n, f) => n + (cell(w, f)?.overdueItems ?? 0), 0)),
        },
      ],
    };
  }, [history.data]);
  if (history.error) return <ErrorBox error={history.error} />;
  if (!history.data) return <Loading />;
  return <Chart option={option} height={300} label={t('map.trend')} />;
}

/** 挂牌督战作战图: a tile per county and front, coloured by the first rule that matches. */
export default function BattleMap() {
  const { user, counties, countyName } = useSession();
  const { query } = useLocation();
  const board = useData(
    'board',
    (signal) => get<Board>('supervision', '/battle-map', {}, signal),
    REFRESH_MS,
  );
  const rows = board.data?.counties ?? [];
  const trendCounty =
    user.county ??
    query.get('trend') ??
    rows.find((r) => r.status === 'red')?.countyCode ??
    rows.find((r) => r.status === 'amber')?.countyCode ??
    rows[0]?.countyCode;
  const tally = (s: Status) => rows.filter((r) => r.status === s).length;
  return (
    <div className="page">
      <Section
        title={t('map.title')}
        actions={
          <span className="muted" data-testid="as-of">
            {board.data &&
              t('map.asOf', { at: when(board.data.asOf), version: board.data.rulesVersion ?? '—' })}{' '}
            <button type="button" onClick={board.reload}>
              {t('common.refresh')}
            </button>
          </span>
        }
      >
        <ErrorBox error={board.error} />
        {!board.data ? (
          <Loading />
        ) : (
          <>
            <p className="legend">
              <Rag status="red" /> {tally('red')} <Rag status="amber" /> {tally('amber')}{' '}
              <Rag status="green" /> {tally('green')}
            </p>
            <div className="board">
              {rows.map((r) => (
                <article
                  key={r.countyCode}
                  className={`county county-${r.status}`}
                  data-county={r.countyCode}
                >
                  <h3>
                    {r.countyName} <Rag status={r.status} />
                  </h3>
                  <div className="tiles">
                    {r.fronts.map((f) => (
                      <Tile key={f.front} county={r.countyCode} cell={f} />
                    ))}
                  </div>
                </article>
              ))}
            </div>
          </>
        )}
      </Section>
      {trendCounty && (
        <Section
          title={t('map.trendOf', { county: countyName(trendCounty) })}
          actions={
            user.county ? undefined : (
              <select
                aria-label={t('common.county')}
                value={trendCounty}
                onChange={(e) => setQuery({ trend: e.target.value })}
              >
                {counties.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.name}
                  </option>
                ))}
              </select>
            )
          }
        >
          <Trend county={trendCounty} />
        </Section>
      )}
    </div>
  );
}
