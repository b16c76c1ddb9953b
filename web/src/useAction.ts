import { useCallback, useState } from "react";

/**
 * The state of one action a person starts (a form sent, a button pressed): whether it is
 * running, and what went wrong last. `run` clears the last error, runs the work, keeps its
 * failure for the page to explain, and answers whether it succeeded. `reset` forgets the
 * last failure, for a dialog opened afresh.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = useCallback(async (work: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (failure) {
      setError(failure);
      return false;
    } finally {
      setBusy(false);
    }
  }, []);

  const reset = useCallback(() => setError(null), []);

  return { busy, error, run, reset };
}
