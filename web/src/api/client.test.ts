import { describe, expect, it, vi } from 'vitest';
import { json, mockFetch } from '../test/fetch';
import { setLang } from '../i18n/core';
import { api, ApiError, getAccessToken, onSessionExpired, refreshAccessToken, setAccessToken } from './client';

describe('api client', () => {
  it('keeps the access token in memory only and sends it as a bearer token', async () => {
    const { calls } = mockFetch(() => json({ ok: true }));
    setAccessToken('tok-1');
    await api.get('/api/accounts/users/me/');
    expect(calls[0]?.headers.authorization).toBe('Bearer tok-1');
    expect(getAccessToken()).toBe('tok-1');
    expect(localStorage.length).toBe(0);
    expect(sessionStorage.length).toBe(0);
  });

  it('sends Accept-Language with the current language and same-origin credentials', async () => {
    const { calls, fetch } = mockFetch(() => json({}));
    await api.get('/api/health/', { auth: false });
    setLang('en');
    await api.get('/api/health/', { auth: false });
    expect(calls.map((c) => c.headers['accept-language'])).toEqual(['ko', 'en']);
    expect(fetch.mock.calls[0]?.[1]).toMatchObject({ credentials: 'same-origin' });
  });

  it('builds query strings and JSON bodies', async () => {
    const { calls } = mockFetch(() => json({}, 201));
    await api.get('/api/contents/', { query: { page: 2, search: 'a b', category: null } });
    await api.post('/api/categories/', { name: 'x' });
    expect(calls[0]?.url).toBe('/api/contents/?page=2&search=a+b');
    expect(calls[1]).toMatchObject({ method: 'POST', body: { name: 'x' } });
    expect(calls[1]?.headers['content-type']).toBe('application/json');
  });

  it('refreshes once on 401 and retries the call with the new token', async () => {
    setAccessToken('old');
    const { calls } = mockFetch(({ url, headers }) => {
      if (url === '/api/auth/token/refresh/') return json({ access: 'new' });
      return headers.authorization === 'Bearer new' ? json({ id: 1 }) : json({ detail: 'expired' }, 401);
    });
    await expect(api.get('/api/accounts/users/me/')).resolves.toEqual({ id: 1 });
    expect(calls.map((c) => c.url)).toEqual([
      '/api/accounts/users/me/',
      '/api/auth/token/refresh/',
      '/api/accounts/users/me/',
    ]);
    expect(getAccessToken()).toBe('new');
  });

  it('shares one refresh request between concurrent 401s', async () => {
    setAccessToken('old');
    let releaseRefresh!: () => void;
    const refreshGate = new Promise<void>((resolve) => (releaseRefresh = resolve));
    const { calls } = mockFetch(async ({ url, headers }) => {
      if (url === '/api/auth/token/refresh/') {
        await refreshGate;
        return json({ access: 'new' });
      }
      return headers.authorization === 'Bearer new' ? json({ url }) : json({ detail: 'expired' }, 401);
    });
    const a = api.get('/api/review/dashboard/');
    const b = api.get('/api/review/schedules/today/');
    await vi.waitFor(() => expect(calls.filter((c) => c.url === '/api/auth/token/refresh/')).toHaveLength(1));
    releaseRefresh();
    await expect(Promise.all([a, b])).resolves.toEqual([
      { url: '/api/review/dashboard/' },
      { url: '/api/review/schedules/today/' },
    ]);
    expect(calls.filter((c) => c.url === '/api/auth/token/refresh/')).toHaveLength(1);
    expect(calls.filter((c) => c.headers.authorization === 'Bearer new')).toHaveLength(2);
  });

  it('concurrent refreshAccessToken() callers get the same promise', async () => {
    const { calls } = mockFetch(() => json({ access: 't' }));
    const [x, y] = await Promise.all([refreshAccessToken(), refreshAccessToken()]);
    expect(x).toBe('t');
    expect(y).toBe('t');
    expect(calls).toHaveLength(1);
  });

  it('gives up after a failed refresh: throws the 401 and reports the session as expired', async () => {
    setAccessToken('old');
    const expired = vi.fn();
    onSessionExpired(expired);
    const { calls } = mockFetch(({ url }) =>
      url === '/api/auth/token/refresh/' ? json({ detail: 'no cookie' }, 401) : json({ detail: 'expired' }, 401),
    );
    const error = await api.get('/api/contents/').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(calls).toHaveLength(2); // the call and one refresh, no retry
    expect(getAccessToken()).toBeNull();
    expect(expired).toHaveBeenCalledTimes(1);
  });

  it('does not refresh for public calls', async () => {
    const { calls } = mockFetch(() => json({ non_field_errors: ['bad'] }, 401));
    await expect(api.post('/api/auth/token/', {}, { auth: false })).rejects.toBeInstanceOf(ApiError);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.headers.authorization).toBeUndefined();
  });

  it('throws a typed ApiError with status, parsed body and Retry-After', async () => {
    mockFetch(() => json({ detail: 'slow down' }, 429, { 'Retry-After': '42' }));
    const error = (await api.post('/api/accounts/resend-verification/', {}, { auth: false }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(429);
    expect(error.body).toEqual({ detail: 'slow down' });
    expect(error.retryAfter).toBe(42);
  });

  it('keeps a non-JSON error body as text', async () => {
    mockFetch(() => new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = (await api.get('/api/health/', { auth: false }).catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(502);
    expect(error.body).toBe('<html>Bad gateway</html>');
  });

  it('turns a network failure into ApiError with status 0', async () => {
    mockFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    const error = (await api.get('/api/health/', { auth: false }).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.isNetworkError).toBe(true);
  });

  it('returns null for 204', async () => {
    mockFetch(() => new Response(null, { status: 204 }));
    await expect(api.delete('/api/contents/1/')).resolves.toBeNull();
  });

  it('rejects paths outside /api/', async () => {
    await expect(api.get('/accounts/')).rejects.toThrow(/\/api\//);
  });
});
