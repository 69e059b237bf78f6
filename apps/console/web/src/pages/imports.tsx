import { useEffect, useRef, useState, type DragEvent } from 'react';
import { apiUrl, call, get, type Service } from '../api.js';
import { useOffset } from '../components/county-filter.js';
import { ErrorBox, Field, Pager, Section, Table, when } from '../components/ui.js';
import { label, t } from '../i18n/index.js';
import { toCsv } from '../logic/csv.js';
import { mergedPage } from '../logic/merged-page.js';
import { can } from '../logic/permissions.js';
import { outcomeOf, upload, uuid4, type ImportOutcome, type RowProblem } from '../logic/upload.js';
import { useSession } from '../session.js';
import { useData } from '../use-data.js';

interface Target {
  key: string;
  service: Service;
  path: string;
  /** The service follows the import at GET /imports/{id} (rows read so far, every rejected row). */
  tracked: boolean;
  cityWide?: boolean;
  columns: string;
}

const TARGETS: Target[] = [
  {
    key: 'poverty',
    service: 'dropout-control',
    path: '/registry/poverty/import',
    tracked: true,
    columns:
      'household_id,id_number,name,birth_date,county_code,township,village,poverty_status,orphan,disability_level,relocation_site_code',
  },
  {
    key: 'students',
    service: 'dropout-control',
    path: '/registry/students/import',
    tracked: true,
    columns:
      'id_number,name,birth_date,county_code,school_code,school_name,stage,grade,enrolment_status,disability_level',
  },
  {
    key: 'roster',
    service: 'student-aid',
    path: '/roster/import',
    tracked: true,
    columns:
      'id_number,name,county_code,school_code,stage,grade,boarder,bilingual,registered_poor,low_income,extreme_poverty,orphan,disability_level,special_education',
  },
  {
    key: 'payments',
    service: 'student-aid',
    path: '/payments/import',
    tracked: true,
    columns: 'payment_ref,id_number,name,policy_code,term,amount,paid_on[,reverses_ref]',
  },
  {
    key: 'projects',
    service: 'school-construction',
    path: '/projects/import',
    tracked: true,
    columns: 'code,name,kind,county_code,<milestone>_planned…',
  },
  {
    key: 'problems',
    service: 'supervision',
    path: '/rectification/problems/import',
    tracked: false,
    columns:
      'ref,source,description,county_code,front,measures,found_on,deadline,lead_department,responsible_leader',
  },
  {
    key: 'members',
    service: 'supervision',
    path: '/work-teams/members/import',
    tracked: false,
    columns: 'member_id,name,county_code,village,role,posted_from,posted_until',
  },
  {
    key: 'officials',
    service: 'supervision',
    path: '/officials/import',
    tracked: false,
    cityWide: true,
    columns: 'official_id,name,title,county_code,front,role,phone,email',
  },
];

const TRACKED_SERVICES: Service[] = ['dropout-control', 'student-aid', 'school-construction'];
const ERRORS_PAGE = 10_000;
const RECENT_PAGE = 20;

type Phase = 'idle' | 'uploading' | 'applying' | 'done' | 'failed';

interface Recent {
  id: string;
  kind: string;
  filename: string | null;
  status: string;
  rowsRead: number;
  rowsRejected: number;
  startedAt: string;
}

/** Every rejected row: the answer's, or page by page from the service for a large import. */
async function allRejected(target: Target, outcome: ImportOutcome): Promise<RowProblem[]> {
  if (!target.tracked || !outcome.id || outcome.rejected.length >= outcome.rejectedCount)
    return outcome.rejected;
  const rows: RowProblem[] = [];
  for (let offset = 0; offset < outcome.rejectedCount; offset += ERRORS_PAGE) {
    const page = await get<{ rejected: RowProblem[] }>(target.service, `/imports/${outcome.id}`, {
      errorsLimit: ERRORS_PAGE,
      errorsOffset: offset,
    });
    rows.push(...page.rejected);
    if (page.rejected.length < ERRORS_PAGE) break;
  }
  return rows;
}

function download(name: string, rows: RowProblem[]) {
  const blob = new Blob(
    [
      toCsv(
        [t('import.line'), t('import.field'), t('import.reason')],
        rows.map((r) => [r.line, r.field, r.reason]),
      ),
    ],
    {
      type: 'text/csv;charset=utf-8',
    },
  );
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** 数据导入: drop a CSV or XLSX file, watch it load, then see (and download) every rejected row. */
export default function Imports() {
  const { user } = useSession();
  const targets = TARGETS.filter((x) => !x.cityWide || can(user, 'import.cityWide'));
  const [key, setKey] = useState(targets[0].key);
  const target = targets.find((x) => x.key === key) ?? targets[0];
  const [phase, setPhase] = useState<Phase>('idle');
  const [percent, setPercent] = useState(0);
  const [rowsSoFar, setRowsSoFar] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [rejected, setRejected] = useState<RowProblem[]>([]);
  const [error, setError] = useState<Error | undefined>();
  const [over, setOver] = useState(false);
  const abort = useRef<() => void>(() => undefined);
  useEffect(() => () => abort.current(), []);
  const offset = useOffset();
  // The three services' imports as one list, newest first; a service that does not answer
  // (or does not let this user see its imports) adds nothing.
  const recent = useData(`recent:${phase === 'done' ? 'after' : 'before'}:${offset}`, (signal) =>
    mergedPage<Recent>(
      TRACKED_SERVICES.length,
      (s, from, limit) =>
        call<Recent[]>(TRACKED_SERVICES[s], '/imports', { query: { limit, offset: from }, signal }).catch(
          () => ({ items: [] as Recent[], total: 0 }),
        ),
      (a, b) => a.startedAt > b.startedAt || (a.startedAt === b.startedAt && a.id > b.id),
      offset,
      RECENT_PAGE,
    ),
  );

  const start = async (f: File) => {
    setFile(f);
    setOutcome(null);
    setRejected([]);
    setError(undefined);
    setPercent(0);
    setRowsSoFar(0);
    setPhase('uploading');
    const importId = target.tracked ? uuid4() : undefined;
    const u = upload(apiUrl(target.service, target.path, { importId }), f, (sent, total) => {
      // The last percent waits for the answer: the rows are applied after the last byte.
      setPercent(Math.min(99, Math.floor((sent / Math.max(total, 1)) * 100)));
      if (sent >= total) setPhase('applying');
    });
    abort.current = u.abort;
    const poll = importId
      ? setInterval(() => {
          get<{ rowsRead: number }>(target.service, `/imports/${importId}`, { errorsLimit: 1 })
            .then((s) => setRowsSoFar(s.rowsRead))
            .catch(() => undefined);
        }, 700)
      : undefined;
    try {
      const { status, body } = await u.done;
      if (status >= 400) {
        const message = Array.isArray(body.message)
          ? body.message.join('; ')
          : typeof body.message === 'string'
            ? body.message
            : `HTTP ${status}`;
        throw new Error(message);
      }
      const o = outcomeOf(body);
      setOutcome(o);
      setRowsSoFar(o.rows);
      setRejected(await allRejected(target, o));
      setPercent(100);
      setPhase('done');
    } catch (e) {
      setError(e as Error);
      setPhase('failed');
    } finally {
      clearInterval(poll);
    }
  };

  const drop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    const f = e.dataTransfer.files[0];
    if (f && phase !== 'uploading' && phase !== 'applying') void start(f);
  };
  const busy = phase === 'uploading' || phase === 'applying';

  return (
    <div className="page">
      <Section title={t('nav.imports')}>
        <div className="filters">
          <Field label={t('import.kind')}>
            <select name="kind" value={key} disabled={busy} onChange={(e) => setKey(e.target.value)}>
              {targets.map((x) => (
                <option key={x.key} value={x.key}>
                  {label('importKind', x.key)}
                </option>
              ))}
            </select>
          </Field>
        </div>
        {target.columns && (
          <p className="muted">
            {t('import.columns')} <code>{target.columns}</code>
          </p>
        )}
        <div
          className={`dropzone${over ? ' over' : ''}`}
          data-testid="dropzone"
          onDragOver={(e) => {
            e.preventDefault();
            setOver(true);
          }}
          onDragLeave={() => setOver(false)}
          onDrop={drop}
        >
          <p>{t('import.drop')}</p>
          <label className="button">
            {t('import.choose')}
            <input
              type="file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              disabled={busy}
              hidden
              onChange={(e) => {
                const f = e.target.files?.[0];
                e.target.value = '';
                if (f) void start(f);
              }}
            />
          </label>
        </div>
        {phase !== 'idle' && (
          <div className="progress-block">
            <p>
              {file?.name} · {label('importPhase', phase)}
              {rowsSoFar > 0 && ` · ${t('import.rowsSoFar', { n: rowsSoFar })}`}
            </p>
            <div
              className={`progress progress-${phase}`}
              role="progressbar"
              aria-label={t('import.progress')}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
            >
              <div className="bar" style={{ width: `${percent}%` }} />
              <span>{percent}%</span>
            </div>
          </div>
        )}
        <ErrorBox error={error} />
        {outcome && (
          <div data-testid="import-result">
            <p className="summary">
              <span>
                {t('import.status')} <strong>{label('importStatus', outcome.status)}</strong>
              </span>
              <span>
                {t('import.rows')} <strong>{outcome.rows}</strong>
              </span>
              <span>
                {t('import.loaded')} <strong>{outcome.loaded}</strong>
              </span>
              <span>
                {t('import.rejectedCount')}{' '}
                <strong data-testid="rejected-count">{outcome.rejectedCount}</strong>
              </span>
              {outcome.crosscheck && (
                <span>
                  {t('import.crosscheck')}{' '}
                  <strong>{label('importStatus', outcome.crosscheck.status ?? '')}</strong>
                </span>
              )}
            </p>
            {rejected.length > 0 && (
              <>
                <button
                  type="button"
                  onClick={() =>
                    download(`${t('import.errorsFile')}-${file?.name ?? 'import'}.csv`, rejected)
                  }
                >
                  {t('import.download')}
                </button>
                <Table
                  label={t('import.rejected')}
                  rows={rejected.slice(0, 500)}
                  rowKey={(r) => `${r.line}:${r.field}:${r.reason}`}
                  columns={[
                    { key: 'line', title: t('import.line'), render: (r) => r.line, className: 'num' },
                    { key: 'field', title: t('import.field'), render: (r) => r.field },
                    { key: 'reason', title: t('import.reason'), render: (r) => r.reason },
                  ]}
                />
                {rejected.length > 500 && (
                  <p className="muted">{t('import.moreInFile', { n: rejected.length })}</p>
                )}
              </>
            )}
          </div>
        )}
      </Section>
      <Section title={t('import.recent')}>
        <Table
          label={t('import.recent')}
          rows={recent.data?.items}
          rowKey={(r) => r.id}
          columns={[
            { key: 'at', title: t('common.time'), render: (r) => when(r.startedAt) },
            { key: 'kind', title: t('import.kind'), render: (r) => label('runnerKind', r.kind) },
            { key: 'file', title: t('import.file'), render: (r) => r.filename ?? '—' },
            { key: 'status', title: t('import.status'), render: (r) => label('importStatus', r.status) },
            { key: 'rows', title: t('import.rows'), render: (r) => r.rowsRead, className: 'num' },
            { key: 'rej', title: t('import.rejectedCount'), render: (r) => r.rowsRejected, className: 'num' },
          ]}
        />
        {recent.data && (
          <Pager
            offset={offset}
            limit={RECENT_PAGE}
            count={recent.data.items.length}
            total={recent.data.total}
          />
        )}
      </Section>
    </div>
  );
}
