import { useCallback, useState } from 'react';
import { ApiError } from '../api';

interface FeedbackState {
  error?: string;
  notice?: string;
}

/** A refusal as a sentence: the API's own message (it names the rule, e.g. the last admin). */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message.endsWith('.') ? error.message : `${error.message}.`;
  return 'The server could not be reached; try again.';
}

/**
 * What an admin action says afterwards: a notice (`status`, polite) or an error (`alert`).
 * `run` clears both, awaits the action and shows what it returned or why it failed.
 */
export function useFeedback() {
  const [state, setState] = useState<FeedbackState>({});
  const [busy, setBusy] = useState(false);

  const run = useCallback(async (action: () => Promise<string | void>): Promise<boolean> => {
    setBusy(true);
    setState({});
    try {
      const notice = await action();
      setState({ notice: notice || undefined });
      return true;
    } catch (error) {
      setState({ error: describeError(error) });
      return false;
    } finally {
      setBusy(false);
    }
  }, []);

  const fail = useCallback((error: unknown) => setState({ error: describeError(error) }), []);

  const feedback = (
    <div className="admin-feedback">
      <p role="status" className={state.notice ? 'team-notice' : 'admin-empty-status'}>
        {state.notice}
      </p>
      {state.error && (
        <p role="alert" className="team-error">
          {state.error}
        </p>
      )}
    </div>
  );

  return { busy, run, fail, feedback };
}
