import { useCallback, useState } from 'react';
import { errorMessage } from '../../api/errors';
import type { CompletionRequest } from '../../api/types';
import type { SubmitResult } from '../../offline';

/** One card's submission: busy flag, the API's refusal (shown on the card), and whether it was queued. */
export function useSubmission(submit: (body: CompletionRequest) => Promise<SubmitResult>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const run = useCallback(
    async (body: CompletionRequest): Promise<SubmitResult | null> => {
      setBusy(true);
      setError(null);
      setFailure(null);
      try {
        return await submit(body);
      } catch (e) {
        setError(errorMessage(e));
        setFailure(e);
        return null;
      } finally {
        setBusy(false);
      }
    },
    [submit],
  );
  return { run, busy, error, failure };
}
