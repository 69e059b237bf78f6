/** A v4 UUID (crypto.randomUUID exists only on HTTPS or localhost pages). */
export function uuid4(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export interface RowProblem {
  line: number;
  field: string;
  reason: string;
}

/** The services answer imports in three shapes; this is what the page shows of any of them. */
export interface ImportOutcome {
  id: string | null;
  status: string;
  rows: number;
  loaded: number;
  rejectedCount: number;
  /** Rejected rows the answer carried (all of them, or the first page when `id` pages the rest). */
  rejected: RowProblem[];
  crosscheck?: { status?: string } | null;
}

export function outcomeOf(body: Record<string, unknown>): ImportOutcome {
  const rejected = Array.isArray(body.rejected) ? (body.rejected as RowProblem[]) : [];
  const n = (k: string) => {
    const v = body[k];
    return typeof v === 'number' ? v : undefined;
  };
  return {
    id: typeof body.id === 'string' ? body.id : null,
    status: typeof body.status === 'string' ? body.status : 'completed',
    rows: n('rowsRead') ?? n('received') ?? 0,
    loaded:
      n('rowsLoaded') ?? n('upserted') ?? (n('created') ?? 0) + (n('updated') ?? 0) + (n('unchanged') ?? 0),
    rejectedCount: n('rowsRejected') ?? rejected.length,
    rejected,
    crosscheck: body.crosscheck as ImportOutcome['crosscheck'],
  };
}

/**
 * Sends the file as the multipart field `file`, reporting the share of bytes the service has
 * taken. The service reads the upload as it imports (a stream with back-pressure), so bytes
 * taken track rows processed; the last step (applying the rows) ends with the answer.
 */
export function upload(
  url: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
): { done: Promise<{ status: number; body: Record<string, unknown> }>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => resolve({ status: xhr.status, body: (xhr.response ?? {}) as Record<string, unknown> });
    xhr.onerror = () => reject(new Error('network'));
    xhr.onabort = () => reject(new Error('aborted'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
