import { useCallback, useEffect, useRef, useState } from "react";

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  /** Replaces the answer kept, e.g. with what an update answered. */
  setData: (data: T) => void;
}

/**
 * Runs `load` when a key changes and keeps its latest answer; an answer that arrives after a
 * newer request started is dropped.
 */
export function useLoad<T>(load: () => Promise<T>, keys: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    try {
      const answer = await loadRef.current();
      if (request !== latest.current) return;
      setData(answer);
      setError(null);
    } catch (caught) {
      if (request !== latest.current) return;
      setError(caught);
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    void run();
  }, keys);

  return { data, error, loading, reload: run, setData };
}

/** Formats an ISO timestamp as a short local date and time, or a dash when absent. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return "—";

  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** Formats an ISO timestamp as a local date. */
export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString(undefined, { dateStyle: "medium" });
}

/** Formats an amount in minor units (cents) of a currency. */
export function formatMoney(minor: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(minor / 100);
}
