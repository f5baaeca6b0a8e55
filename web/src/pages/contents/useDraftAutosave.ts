import { useEffect, useRef, useState } from 'react';
import { clearDraft, loadDraft, saveDraft, type Draft, type DraftKey } from '../../lib/drafts';
import { sameForm, type EditorForm } from './editorForm';

export const AUTOSAVE_DELAY_MS = 800;

/**
 * Keeps the form's values as a draft in localStorage while they differ from the saved note.
 * A draft found on arrival is offered (`pending`) and autosave waits until the user restores or
 * discards it, so the old draft is never overwritten unseen. `stop()` after a successful save.
 */
export function useDraftAutosave(key: DraftKey, values: EditorForm, initial: EditorForm) {
  const [pending, setPending] = useState<Draft | null>(() => {
    const draft = loadDraft(key);
    return draft && !sameForm(draft, initial) ? draft : null;
  });
  const stopped = useRef(false);

  useEffect(() => {
    if (pending || stopped.current) return;
    const timer = setTimeout(() => {
      if (stopped.current) return;
      if (sameForm(values, initial)) clearDraft(key);
      else saveDraft(key, values);
    }, AUTOSAVE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [key, values, initial, pending]);

  return {
    pending,
    /** the draft was restored into the form: start autosaving again */
    restored: () => setPending(null),
    discard: () => {
      clearDraft(key);
      setPending(null);
    },
    stop: () => {
      stopped.current = true;
      clearDraft(key);
    },
  };
}
