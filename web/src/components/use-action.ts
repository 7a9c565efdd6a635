import { useState } from 'preact/hooks';
import { describeError } from '../api/client.js';

/** Busy flag, error and success message around one async form action. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const run = async (f: () => Promise<string | void>) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const msg = await f();
      if (msg) setDone(msg);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  /** `run` as a form's submit (or a button's click) handler: the page does not reload. */
  const submit = (f: () => Promise<string | void>) => (e?: Event) => {
    e?.preventDefault();
    void run(f);
  };
  return { busy, error, done, run, submit, setError };
}
