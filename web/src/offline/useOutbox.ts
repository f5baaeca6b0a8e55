import { useEffect, useSyncExternalStore } from 'react';
import { getOutbox, subscribeOutbox, type OutboxEvent, type OutboxItem } from './outbox';

const subscribe = (cb: () => void) => subscribeOutbox(cb);

/** The pending outbox items (re-renders when the queue changes). */
export function useOutbox(): readonly OutboxItem[] {
  return useSyncExternalStore(subscribe, getOutbox, getOutbox);
}

/** Run `handler` for outbox events, e.g. invalidate review queries on `sent`. */
export function useOutboxEvents(handler: (event: OutboxEvent) => void): void {
  useEffect(() => subscribeOutbox(handler), [handler]);
}
