import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setAccessToken } from '../api/client';
import { json, mockFetch } from '../test/fetch';
import {
  enqueueCompletion,
  flushOutbox,
  getOutbox,
  OUTBOX_STORAGE_KEY,
  readOutbox,
  startOutbox,
  submitCompletion,
  subscribeOutbox,
  type OutboxEvent,
} from './outbox';

let online = true;
beforeEach(() => {
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => online);
});

let stop: (() => void) | null = null;
afterEach(() => {
  online = true;
  stop?.();
  stop = null;
});

const ok = { message: 'ok', next_review_date: '2025-01-02T00:00:00+09:00', interval_index: 1, final_result: 'remembered' };

describe('offline outbox', () => {
  it('keeps completions queued (in localStorage) while offline', async () => {
    online = false;
    const { calls } = mockFetch(() => json(ok));
    const item = enqueueCompletion(7, { result: 'remembered', time_spent: 12 });
    await flushOutbox();
    expect(calls).toHaveLength(0);
    expect(getOutbox()).toHaveLength(1);
    const stored = JSON.parse(localStorage.getItem(OUTBOX_STORAGE_KEY) ?? '[]') as unknown[];
    expect(stored).toEqual([
      expect.objectContaining({
        path: '/api/review/schedules/7/completions/',
        body: { result: 'remembered', time_spent: 12 },
        idempotencyKey: item.idempotencyKey,
      }),
    ]);
  });

  it('flushes when the browser comes back online, with the Idempotency-Key', async () => {
    setAccessToken('tok');
    online = false;
    const { calls } = mockFetch(() => json(ok));
    stop = startOutbox();
    const item = enqueueCompletion(7, { result: 'forgot' });
    const events: OutboxEvent['type'][] = [];
    subscribeOutbox((e) => events.push(e.type));

    online = true;
    window.dispatchEvent(new Event('online'));
    await vi.waitFor(() => expect(getOutbox()).toHaveLength(0));

    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      url: '/api/review/schedules/7/completions/',
      method: 'POST',
      body: { result: 'forgot' },
    });
    expect(calls[0]?.headers['idempotency-key']).toBe(item.idempotencyKey);
    expect(calls[0]?.headers.authorization).toBe('Bearer tok');
    expect(events).toContain('sent');
    expect(localStorage.getItem(OUTBOX_STORAGE_KEY)).toBeNull();
  });

  it('sends the same Idempotency-Key on every retry', async () => {
    online = false;
    const answers = [() => { throw new TypeError('network'); }, () => json({ error: 'x' }, 503), () => json(ok)];
    const { calls } = mockFetch(() => answers.shift()!());
    const item = enqueueCompletion(3, { result: 'partial' });
    online = true;

    expect(await flushOutbox()).toMatchObject({ sent: 0, remaining: 1 });
    expect(readOutbox()[0]?.attempts).toBe(1);
    expect(await flushOutbox()).toMatchObject({ sent: 0, remaining: 1 });
    expect(await flushOutbox()).toMatchObject({ sent: 1, remaining: 0 });

    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.headers['idempotency-key']))).toEqual(new Set([item.idempotencyKey]));
  });

  it('submitCompletion queues a failed first attempt under the key it already sent', async () => {
    const answers = [() => { throw new TypeError('network'); }, () => json(ok)];
    const { calls } = mockFetch(() => answers.shift()!());
    const result = await submitCompletion(9, { result: 'remembered' });
    expect(result.queued).toBe(true);
    await vi.waitFor(() => expect(calls).toHaveLength(2));
    await vi.waitFor(() => expect(getOutbox()).toHaveLength(0));
    expect(calls[0]?.headers['idempotency-key']).toBeTruthy();
    expect(calls[1]?.headers['idempotency-key']).toBe(calls[0]?.headers['idempotency-key']);
  });

  it('submitCompletion returns the response when online', async () => {
    mockFetch(() => json(ok));
    await expect(submitCompletion(9, { result: 'remembered' })).resolves.toEqual({ queued: false, response: ok });
    expect(getOutbox()).toHaveLength(0);
  });

  it('drops an item the API refuses for good, keeps order for the rest', async () => {
    online = false;
    const { calls } = mockFetch(({ url }) =>
      url.includes('/1/') ? json({ error: 'This card is paused' }, 404) : json(ok),
    );
    enqueueCompletion(1, { result: 'remembered' });
    enqueueCompletion(2, { result: 'remembered' });
    const events: OutboxEvent[] = [];
    subscribeOutbox((e) => events.push(e));
    online = true;
    expect(await flushOutbox()).toEqual({ sent: 1, dropped: 1, remaining: 0 });
    expect(calls.map((c) => c.url)).toEqual([
      '/api/review/schedules/1/completions/',
      '/api/review/schedules/2/completions/',
    ]);
    expect(events.find((e) => e.type === 'dropped')).toBeTruthy();
  });

  it('waits for a session: a 401 without a refresh cookie keeps the item', async () => {
    online = false;
    mockFetch(() => json({ detail: 'no' }, 401));
    enqueueCompletion(4, {});
    online = true;
    expect(await flushOutbox()).toMatchObject({ sent: 0, remaining: 1 });
  });
});
