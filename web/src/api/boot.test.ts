// public/boot.js, the first script of index.html, with the API client that takes its answers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { json, mockFetch } from '../test/fetch';
import { api, discardBootGets, getAccessToken, refreshAccessToken } from './client';

const bootScript = readFileSync(join(__dirname, '..', '..', 'public', 'boot.js'), 'utf8');

const TABLE = [
  ['', ['/assets/LandingPage.js'], ['/api/accounts/users/me/']],
  ['dashboard', ['/assets/DashboardPage.js', '/assets/DashboardPage.css'], ['/api/accounts/users/me/', '/api/review/dashboard/']],
  ['contents/new', ['/assets/ContentNewPage.js'], ['/api/accounts/users/me/']],
  ['contents/:id', ['/assets/ContentDetailPage.js'], ['/api/accounts/users/me/']],
  ['*', ['/assets/NotFoundPage.js'], ['/api/accounts/users/me/']],
];

/** Runs boot.js as the browser does on a page load of `path`, with the build's route table (or none). */
function boot(path: string, table: unknown = TABLE) {
  window.history.replaceState(null, '', path);
  document.head.innerHTML = '';
  if (table) {
    const data = document.createElement('script');
    data.type = 'application/json';
    data.id = 'resee-routes';
    data.textContent = JSON.stringify(table);
    document.head.append(data);
  }
  new Function(bootScript)();
}

const preloads = () =>
  [...document.head.querySelectorAll('link')].map((l) => [l.rel, l.getAttribute('as'), l.getAttribute('href'), l.crossOrigin]);

describe('public/boot.js', () => {
  it('preloads the code of the route being opened, the most specific pattern first', () => {
    mockFetch(() => json({ detail: 'signed out' }, 401));
    boot('/dashboard');
    expect(preloads()).toEqual([
      ['modulepreload', null, '/assets/DashboardPage.js', ''],
      ['preload', 'style', '/assets/DashboardPage.css', ''],
    ]);
    boot('/contents/new');
    expect(preloads()).toEqual([['modulepreload', null, '/assets/ContentNewPage.js', '']]);
    boot('/contents/42/');
    expect(preloads()).toEqual([['modulepreload', null, '/assets/ContentDetailPage.js', '']]);
    boot('/');
    expect(preloads()).toEqual([['modulepreload', null, '/assets/LandingPage.js', '']]);
    boot('/no/such/page');
    expect(preloads()).toEqual([['modulepreload', null, '/assets/NotFoundPage.js', '']]);
  });

  it('without a route table (the dev server) only restores the session', async () => {
    const { calls } = mockFetch(() => json({ access: 'early' }));
    boot('/dashboard', null);
    expect(preloads()).toEqual([]);
    await expect(refreshAccessToken()).resolves.toBe('early');
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/token/refresh/']);
  });

  it('sends the client’s refresh request; the first refresh takes its answer, a later one asks again', async () => {
    const { calls } = mockFetch(() => json({ access: 'early' }));
    boot('/login', [['login', [], []]]);
    expect(calls).toEqual([
      {
        url: '/api/auth/token/refresh/',
        method: 'POST',
        headers: { accept: 'application/json', 'accept-language': 'ko' },
        body: undefined,
      },
    ]);
    await expect(refreshAccessToken()).resolves.toBe('early');
    expect(getAccessToken()).toBe('early');
    expect(calls).toHaveLength(1);
    await expect(refreshAccessToken()).resolves.toBe('early');
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/token/refresh/', '/api/auth/token/refresh/']);
  });

  it('a signed-out answer means no session, and no early calls', async () => {
    const { calls } = mockFetch(() => json({ detail: 'no cookie' }, 401));
    boot('/dashboard');
    await expect(refreshAccessToken()).resolves.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/token/refresh/']);
  });

  it('a network failure is the client’s network error (status 0), and the next refresh tries again', async () => {
    let online = false;
    const { calls } = mockFetch(() => (online ? json({ access: 'later' }) : Promise.reject(new TypeError('offline'))));
    boot('/');
    await expect(refreshAccessToken()).rejects.toMatchObject({ status: 0 });
    online = true;
    await expect(refreshAccessToken()).resolves.toBe('later');
    expect(calls.filter((c) => c.url === '/api/auth/token/refresh/')).toHaveLength(2);
  });

  it('makes the route’s calls with the early token; the client answers its first identical calls from them', async () => {
    const { calls } = mockFetch(({ url }) =>
      url === '/api/auth/token/refresh/' ? json({ access: 'early' }) : json({ from: url }),
    );
    boot('/dashboard');
    await expect(refreshAccessToken()).resolves.toBe('early');
    await expect(api.get('/api/review/dashboard/')).resolves.toEqual({ from: '/api/review/dashboard/' });
    await expect(api.get('/api/accounts/users/me/')).resolves.toEqual({ from: '/api/accounts/users/me/' });
    expect(calls.map((c) => [c.url, c.headers.authorization, c.headers['accept-language']])).toEqual([
      ['/api/auth/token/refresh/', undefined, 'ko'],
      ['/api/accounts/users/me/', 'Bearer early', 'ko'],
      ['/api/review/dashboard/', 'Bearer early', 'ko'],
    ]);
    // Once each: the next call asks the API.
    await api.get('/api/review/dashboard/');
    expect(calls).toHaveLength(4);
  });

  it('answers nobody took are dropped when the session restore is over', async () => {
    const { calls } = mockFetch(({ url }) => (url === '/api/auth/token/refresh/' ? json({ access: 'early' }) : json({})));
    boot('/dashboard');
    await refreshAccessToken();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(calls).toHaveLength(3);
    discardBootGets();
    await api.get('/api/review/dashboard/');
    expect(calls).toHaveLength(4);
  });

  it('an early call answered 401 is sent again by the client, with its usual refresh', async () => {
    let refreshes = 0;
    const { calls } = mockFetch(({ url, headers }) => {
      if (url === '/api/auth/token/refresh/') return json({ access: `t${++refreshes}` });
      return headers.authorization === 'Bearer t2' ? json({ ok: true }) : json({ detail: 'expired' }, 401);
    });
    boot('/dashboard');
    await refreshAccessToken();
    await expect(api.get('/api/review/dashboard/')).resolves.toEqual({ ok: true });
    expect(calls.map((c) => [c.url, c.headers.authorization])).toEqual([
      ['/api/auth/token/refresh/', undefined],
      ['/api/accounts/users/me/', 'Bearer t1'],
      ['/api/review/dashboard/', 'Bearer t1'],
      ['/api/review/dashboard/', 'Bearer t1'],
      ['/api/auth/token/refresh/', undefined],
      ['/api/review/dashboard/', 'Bearer t2'],
    ]);
  });

  it('an early answer is not used once the token has changed', async () => {
    let refreshes = 0;
    const { calls } = mockFetch(({ url }) => (url === '/api/auth/token/refresh/' ? json({ access: `t${++refreshes}` }) : json({ url })));
    boot('/dashboard');
    await refreshAccessToken();
    await refreshAccessToken(); // the client's own refresh: a new access token
    await api.get('/api/review/dashboard/');
    expect(calls.filter((c) => c.url === '/api/review/dashboard/')).toHaveLength(2);
  });
});
