import { useEffect, useLayoutEffect, useRef } from 'react';

export type KeyMap = Partial<Record<string, (event: KeyboardEvent) => void>>;

/** Typing in a field (or an editable region) never triggers shortcuts. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/** Space and Enter on a focused button or link keep their native meaning (a click). */
function activatesTarget(event: KeyboardEvent): boolean {
  if (event.key !== ' ' && event.key !== 'Enter') return false;
  const target = event.target;
  return target instanceof HTMLElement && !!target.closest('button, a[href], [role="button"], [role="radio"], summary');
}

/**
 * Page-wide single-key shortcuts for the review card (`' '` is Space). Ignored while typing, with
 * modifier keys, on key repeat, while a modal dialog is open, and for Space/Enter on a focused
 * button (which the browser already turns into a click).
 */
export function useReviewKeys(keys: KeyMap, enabled = true): void {
  const ref = useRef(keys);
  useLayoutEffect(() => {
    ref.current = keys;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTypingTarget(event.target) || activatesTarget(event)) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      const handler = ref.current[event.key];
      if (!handler) return;
      event.preventDefault();
      handler(event);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}
