import { useCallback, useEffect, useRef, useState } from 'react';

export interface Data<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads data for the current inputs (`key`); a change of key drops the previous answer at
 * once, so a page never shows the rows of the previous filter (or user) while it loads.
 * With `everyMs`, it refreshes in the background.
 */
export function useData<T>(key: string, load: (signal: AbortSignal) => Promise<T>, everyMs = 0): Data<T> {
  const [state, setState] = useState<{ key: string; data?: T; error?: Error }>({ key });
  const [tick, setTick] = useState(0);
  const loader = useRef(load);
  loader.current = load;
  useEffect(() => {
    const ctl = new AbortController();
    loader.current(ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ key, data }),
      (error: Error) =>
        !ctl.signal.aborted && setState((s) => ({ key, data: s.key === key ? s.data : undefined, error })),
    );
    return () => ctl.abort();
  }, [key, tick]);
  useEffect(() => {
    if (!everyMs) return;
    const id = setInterval(() => setTick((n) => n + 1), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const fresh = state.key === key;
  return {
    data: fresh ? state.data : undefined,
    error: fresh ? state.error : undefined,
    loading: !fresh || (state.data === undefined && state.error === undefined),
    reload,
  };
}
