import { useCallback, useEffect, useState } from 'react';

/** Seconds left of a countdown started with start(seconds); 0 when idle. Ticks once a second. */
export function useCountdown(): [number, (seconds: number) => void] {
  const [deadline, setDeadline] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (deadline === null) return;
    const id = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= deadline) setDeadline(null);
    }, 1000);
    return () => clearInterval(id);
  }, [deadline]);

  const start = useCallback((seconds: number) => {
    const t = Date.now();
    setNow(t);
    setDeadline(t + seconds * 1000);
  }, []);

  const left = deadline === null ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000));
  return [left, start];
}
