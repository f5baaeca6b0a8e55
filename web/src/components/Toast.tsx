import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useCommon } from '../i18n/react';
import { ToastContext, type ToastApi, type ToastOptions, type ToastTone } from './toast-context';

interface ToastItem {
  id: number;
  message: string;
  tone: ToastTone;
}

/**
 * Toasts live in two always-mounted live regions: polite (role="status") for info/success and
 * assertive (role="alert") for errors, so screen readers announce them.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const t = useCommon();
  const [items, setItems] = useState<ToastItem[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    setItems((list) => list.filter((item) => item.id !== id));
    const timer = timers.current.get(id);
    if (timer) clearTimeout(timer);
    timers.current.delete(id);
  }, []);

  const show = useCallback(
    ({ message, tone = 'info', duration }: ToastOptions) => {
      const id = nextId.current++;
      setItems((list) => [...list.slice(-4), { id, message, tone }]);
      const ms = duration ?? (tone === 'error' ? 8000 : 5000);
      if (ms > 0) timers.current.set(id, setTimeout(() => dismiss(id), ms));
      return id;
    },
    [dismiss],
  );

  useEffect(() => {
    const map = timers.current;
    return () => {
      for (const timer of map.values()) clearTimeout(timer);
    };
  }, []);

  const api = useMemo<ToastApi>(() => ({ show, dismiss }), [show, dismiss]);

  const render = (list: ToastItem[]) =>
    list.map((item) => (
      <div key={item.id} className={`toast toast--${item.tone}`}>
        <span className="toast__message">{item.message}</span>
        <button type="button" className="icon-btn" onClick={() => dismiss(item.id)} aria-label={t('dismiss')}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
    ));

  return (
    <ToastContext.Provider value={api}>
      {children}
      <section className="toasts" aria-label={t('notifications')}>
        <div role="status" aria-live="polite">
          {render(items.filter((i) => i.tone !== 'error'))}
        </div>
        <div role="alert" aria-live="assertive">
          {render(items.filter((i) => i.tone === 'error'))}
        </div>
      </section>
    </ToastContext.Provider>
  );
}
