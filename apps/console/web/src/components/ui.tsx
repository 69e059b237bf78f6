import { lazy, Suspense, type ReactNode } from 'react';
import { label as labelOf, t, type MessageKey } from '../i18n/index.js';
import { setQuery } from '../router.js';
import type { EChartProps } from '../charts/echart.js';

export function Loading() {
  return <p className="muted">{t('common.loading')}</p>;
}

export function ErrorBox(props: { error: Error | undefined }) {
  if (!props.error) return null;
  return (
    <p className="error" role="alert">
      {t('common.error', { message: props.error.message })}
    </p>
  );
}

export function Section(props: { title: string; children: ReactNode; actions?: ReactNode; id?: string }) {
  return (
    <section className="card" id={props.id} aria-label={props.title}>
      <header className="card-head">
        <h2>{props.title}</h2>
        {props.actions}
      </header>
      {props.children}
    </section>
  );
}

export interface Column<T> {
  key: string;
  title: string;
  render: (row: T) => ReactNode;
  className?: string;
}

export function Table<T>(props: {
  columns: Column<T>[];
  rows: T[] | undefined;
  rowKey: (row: T) => string;
  onRowClick?: (row: T) => void;
  empty?: string;
  label?: string;
}) {
  if (!props.rows) return <Loading />;
  if (props.rows.length === 0) return <p className="muted">{props.empty ?? t('common.none')}</p>;
  return (
    <div className="table-wrap">
      <table aria-label={props.label}>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c.key} className={c.className}>
                {c.title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr
              key={props.rowKey(r)}
              className={props.onRowClick ? 'clickable' : undefined}
              onClick={props.onRowClick ? () => props.onRowClick?.(r) : undefined}
            >
              {props.columns.map((c) => (
                <td key={c.key} className={c.className}>
                  {c.render(r)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Offset pages, fetched from the service a page at a time. With a total (X-Total-Count) it
 * says how many; without one, "next" is offered while a page comes back full. `param` names
 * the query parameter that holds the offset (`offset` unless a page has two pagers).
 */
export function Pager(props: {
  offset: number;
  limit: number;
  count: number;
  total: number | null;
  param?: string;
}) {
  const { offset, limit, count, total } = props;
  const param = props.param ?? 'offset';
  const hasNext = total !== null ? offset + limit < total : count === limit;
  return (
    <nav className="pager" aria-label={t('common.pages')}>
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => setQuery({ [param]: Math.max(0, offset - limit) || undefined })}
      >
        {t('common.previous')}
      </button>
      <span>
        {count === 0
          ? t('common.noRows')
          : total !== null
            ? t('common.rangeOf', { from: offset + 1, to: offset + count, total })
            : t('common.range', { from: offset + 1, to: offset + count })}
      </span>
      <button type="button" disabled={!hasNext} onClick={() => setQuery({ [param]: offset + limit })}>
        {t('common.next')}
      </button>
    </nav>
  );
}

export function Rag(props: { status: 'red' | 'amber' | 'green' }) {
  return <span className={`rag rag-${props.status}`}>{t(`rag.${props.status}` as MessageKey)}</span>;
}

export function Field(props: { label: string; children: ReactNode }) {
  return (
    <label className="field">
      <span>{props.label}</span>
      {props.children}
    </label>
  );
}

/** A select over enum values with their catalogue labels; '' means any. */
export function EnumSelect(props: {
  value: string;
  values: readonly string[];
  prefix: string;
  onChange: (v: string) => void;
  any?: boolean;
  name?: string;
}) {
  return (
    <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      {props.any !== false && <option value="">{t('common.any')}</option>}
      {props.values.map((v) => (
        <option key={v} value={v}>
          {labelOf(props.prefix, v)}
        </option>
      ))}
    </select>
  );
}

export const yuan = (s: string | number | null | undefined) =>
  s === null || s === undefined ? '—' : `¥${Number(s).toLocaleString('zh-CN', { minimumFractionDigits: 2 })}`;

export const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—';

/** ECharts loads on its own, after the page's numbers are on screen. */
const LazyChart = lazy(() => import('../charts/echart.js'));

export function Chart(props: EChartProps) {
  return (
    <Suspense fallback={<div className="chart" style={{ height: props.height ?? 280 }} />}>
      <LazyChart {...props} />
    </Suspense>
  );
}
