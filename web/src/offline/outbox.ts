// A small persistent outbox (localStorage) for POSTs that must reach the API even if the user is
// offline when they happen — review completions. Each item carries an `Idempotency-Key` chosen
// once, when the action happened, and sent unchanged on every attempt, so a retry whose first
// attempt did reach the server is answered with the first result instead of counting twice.
//
// Flushed automatically: when the browser comes back online, and when a session starts
// (AuthProvider calls flushOutbox() on sign-in / page load with a restored session).
import { ApiError, apiRequest, isApiError } from '../api/client';
import type { CompletionRequest, CompletionResponse, Id } from '../api/types';

export const OUTBOX_STORAGE_KEY = 'resee.outbox';

export interface OutboxItem {
  id: string;
  kind: 'review-completion';
  path: string;
  body: unknown;
  idempotencyKey: string;
  createdAt: number;
  attempts: number;
  lastError: string | null;
  /** for UI: the schedule this completion belongs to */
  scheduleId: Id;
}

export type OutboxEvent =
  | { type: 'sent'; item: OutboxItem; response: unknown }
  | { type: 'dropped'; item: OutboxItem; error: ApiError }
  | { type: 'changed'; items: readonly OutboxItem[] };

export interface FlushResult {
  sent: number;
  dropped: number;
  remaining: number;
}

export function newIdempotencyKey(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

// ---- storage

function isItem(value: unknown): value is OutboxItem {
  const v = value as OutboxItem | null;
  return !!v && typeof v.id === 'string' && typeof v.path === 'string' && typeof v.idempotencyKey === 'string';
}

export function readOutbox(): OutboxItem[] {
  try {
    const raw = localStorage.getItem(OUTBOX_STORAGE_KEY);
    if (!raw) return [];
    const parsed: unknown = JSON.parse(raw);
    return Array.isArray(parsed) ? parsed.filter(isItem) : [];
  } catch {
    return [];
  }
}

let snapshot: readonly OutboxItem[] = readOutbox();
const listeners = new Set<(event: OutboxEvent) => void>();

function emit(event: OutboxEvent): void {
  for (const l of listeners) l(event);
}

function write(items: OutboxItem[]): void {
  try {
    if (items.length === 0) localStorage.removeItem(OUTBOX_STORAGE_KEY);
    else localStorage.setItem(OUTBOX_STORAGE_KEY, JSON.stringify(items));
  } catch {
    // Storage full or disabled: keep the in-memory copy for this page.
  }
  snapshot = items;
  emit({ type: 'changed', items });
}

function update(fn: (items: OutboxItem[]) => OutboxItem[]): void {
  // Re-read so that another tab's changes are not overwritten.
  write(fn(readOutbox()));
}

/** The pending items (a stable snapshot for useSyncExternalStore). */
export function getOutbox(): readonly OutboxItem[] {
  return snapshot;
}

/** `sent` after each delivered item (invalidate review queries there), `dropped` for refused ones. */
export function subscribeOutbox(listener: (event: OutboxEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// ---- enqueue

export function completionPath(scheduleId: Id): string {
  return `/api/review/schedules/${scheduleId}/completions/`;
}

/** Queue a review completion for later delivery. Pass the key of a first attempt that failed, if any. */
export function enqueueCompletion(
  scheduleId: Id,
  body: CompletionRequest,
  idempotencyKey: string = newIdempotencyKey(),
): OutboxItem {
  const item: OutboxItem = {
    id: newIdempotencyKey(),
    kind: 'review-completion',
    path: completionPath(scheduleId),
    body,
    idempotencyKey,
    createdAt: Date.now(),
    attempts: 0,
    lastError: null,
    scheduleId,
  };
  update((items) => [...items, item]);
  if (isOnline()) void flushOutbox();
  return item;
}

export type SubmitResult = { queued: false; response: CompletionResponse } | { queued: true; item: OutboxItem };

/**
 * What the review page calls: send now when online; on a network failure (or while offline) queue
 * it with the same Idempotency-Key. Other API errors (400, 404 paused card…) are thrown.
 */
export async function submitCompletion(scheduleId: Id, body: CompletionRequest): Promise<SubmitResult> {
  const key = newIdempotencyKey();
  if (!isOnline()) return { queued: true, item: enqueueCompletion(scheduleId, body, key) };
  try {
    const response = await postItem<CompletionResponse>(completionPath(scheduleId), body, key);
    return { queued: false, response };
  } catch (error) {
    if (isRetryable(error)) return { queued: true, item: enqueueCompletion(scheduleId, body, key) };
    throw error;
  }
}

// ---- flush

function isOnline(): boolean {
  return typeof navigator === 'undefined' || navigator.onLine !== false;
}

/** Worth trying again later: network failures, 401 (no session yet), 408, 429, 5xx. */
function isRetryable(error: unknown): boolean {
  if (!isApiError(error)) return false;
  return error.isNetworkError || error.status === 401 || error.status === 408 || error.status === 429 || error.status >= 500;
}

function postItem<T>(path: string, body: unknown, idempotencyKey: string): Promise<T> {
  return apiRequest<T>(path, { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } });
}

let flushing: Promise<FlushResult> | null = null;

async function flushNow(): Promise<FlushResult> {
  const result: FlushResult = { sent: 0, dropped: 0, remaining: 0 };
  for (const item of readOutbox()) {
    if (!isOnline()) break;
    try {
      const response = await postItem<unknown>(item.path, item.body, item.idempotencyKey);
      update((items) => items.filter((i) => i.id !== item.id));
      result.sent++;
      emit({ type: 'sent', item, response });
    } catch (error) {
      if (isRetryable(error)) {
        update((items) =>
          items.map((i) =>
            i.id === item.id ? { ...i, attempts: i.attempts + 1, lastError: String((error as ApiError).status) } : i,
          ),
        );
        break; // keep order; try again on the next trigger
      }
      // Refused for good (validation, paused or deleted card): drop it and tell the UI.
      update((items) => items.filter((i) => i.id !== item.id));
      result.dropped++;
      emit({ type: 'dropped', item, error: error as ApiError });
    }
  }
  result.remaining = readOutbox().length;
  return result;
}

/** Send queued items in order. One flush at a time per tab (and across tabs where Web Locks exist). */
export function flushOutbox(): Promise<FlushResult> {
  if (!flushing) {
    const run = (): Promise<FlushResult> => flushNow();
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const job = locks ? locks.request('resee-outbox', run) : run();
    flushing = job.finally(() => {
      flushing = null;
    });
  }
  return flushing;
}

let started = false;

/** Flush on `online` and whenever another tab changes the queue. Call once at startup. */
export function startOutbox(): () => void {
  if (started || typeof window === 'undefined') return () => {};
  started = true;
  const onOnline = () => void flushOutbox();
  const onStorage = (e: StorageEvent) => {
    if (e.key === OUTBOX_STORAGE_KEY) {
      snapshot = readOutbox();
      emit({ type: 'changed', items: snapshot });
    }
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('storage', onStorage);
  return () => {
    started = false;
    window.removeEventListener('online', onOnline);
    window.removeEventListener('storage', onStorage);
  };
}

/** Tests only. */
export function resetOutboxForTests(): void {
  snapshot = readOutbox();
  listeners.clear();
  flushing = null;
}
