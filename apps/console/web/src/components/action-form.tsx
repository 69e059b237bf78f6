import { useState, type FormEvent, type ReactNode } from 'react';
import { ApiError } from '../api.js';
import { t } from '../i18n/index.js';

/**
 * One action on an item: a button that opens its form (or runs at once when it has no
 * fields), the service's refusal shown as the service worded it.
 */
export function ActionForm(props: {
  label: string;
  run: (data: FormData) => Promise<unknown>;
  done: () => void;
  children?: ReactNode;
  danger?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e?: FormEvent<HTMLFormElement>) => {
    e?.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await props.run(e ? new FormData(e.currentTarget) : new FormData());
      setOpen(false);
      props.done();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  if (!props.children)
    return (
      <span className="action">
        <button
          type="button"
          className={props.danger ? 'danger' : 'primary'}
          disabled={busy}
          onClick={() => void submit()}
        >
          {props.label}
        </button>
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
      </span>
    );
  return (
    <div className="action">
      {!open ? (
        <button type="button" className="primary" onClick={() => setOpen(true)}>
          {props.label}
        </button>
      ) : (
        <form className="action-form" onSubmit={(e) => void submit(e)} aria-label={props.label}>
          <h3>{props.label}</h3>
          {props.children}
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="buttons">
            <button type="submit" className="primary" disabled={busy}>
              {t('common.confirm')}
            </button>
            <button type="button" onClick={() => setOpen(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

export const text = (d: FormData, name: string) => {
  const v = d.get(name);
  return typeof v === 'string' ? v.trim() : '';
};
