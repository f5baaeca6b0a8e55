import { describe, expect, it } from 'vitest';
import { preloadTable, routeTable, type ChunkInfo } from './route-preloads';

const ROUTES = `
  { index: true, lazy: page(() => import('./pages/landing/LandingPage')) },
  {
    element: <RequireAuth />,
    children: [
      { path: 'dashboard', lazy: page(() => import('./pages/dashboard/DashboardPage')) },
      { path: 'contents/:id', lazy: page(() => import('./pages/contents/ContentDetailPage')) },
    ],
  },
  { path: '*', lazy: page(() => import('./pages/not-found/NotFoundPage')) },
`;

function chunk(fileName: string, imports: string[] = [], css: string[] = [], page?: string): ChunkInfo {
  return { fileName, isEntry: false, facadeModuleId: page ? `/app/web/src/${page}.tsx` : null, imports, css };
}

const CHUNKS: ChunkInfo[] = [
  { ...chunk('assets/index.js', ['assets/shared-ui.js'], ['assets/index.css']), isEntry: true },
  chunk('assets/shared-ui.js'),
  chunk('assets/LandingPage.js', ['assets/shared-ui.js'], ['assets/LandingPage.css'], 'pages/landing/LandingPage'),
  chunk('assets/DashboardPage.js', ['assets/shared-ui.js', 'assets/useQuery.js', 'assets/Meter.js'], ['assets/DashboardPage.css'], 'pages/dashboard/DashboardPage'),
  chunk('assets/useQuery.js'),
  chunk('assets/Meter.js', ['assets/useQuery.js'], ['assets/Meter.css', 'assets/index.css']),
  chunk('assets/ContentDetailPage.js', ['assets/useQuery.js'], [], 'pages/contents/ContentDetailPage'),
  chunk('assets/NotFoundPage.js', [], [], 'pages/not-found/NotFoundPage'),
];

const GETS = { always: ['/api/accounts/users/me/'], byRoute: { dashboard: ['/api/review/dashboard/'] } };

describe('route preloads (build)', () => {
  it('reads every page route of routes.tsx, the index route as ""', () => {
    expect(routeTable(ROUTES)).toEqual([
      ['', 'pages/landing/LandingPage'],
      ['dashboard', 'pages/dashboard/DashboardPage'],
      ['contents/:id', 'pages/contents/ContentDetailPage'],
      ['*', 'pages/not-found/NotFoundPage'],
    ]);
  });

  it('refuses a page route it cannot read, so that none loses its preload', () => {
    const reordered = `${ROUTES}\n  { lazy: page(() => import('./pages/exams/ExamsPage')), path: 'exams' },`;
    expect(() => routeTable(reordered)).toThrow(/5 page imports in routes.tsx, 4 in the \{ path, lazy \} form/);
  });

  it('lists what a route needs beyond the entry: its chunk, the chunks under it, their CSS; then its calls', () => {
    const table = preloadTable(routeTable(ROUTES), CHUNKS, GETS);
    expect(table).toEqual([
      ['', ['/assets/LandingPage.js', '/assets/LandingPage.css'], ['/api/accounts/users/me/']],
      [
        'dashboard',
        ['/assets/DashboardPage.js', '/assets/useQuery.js', '/assets/Meter.js', '/assets/DashboardPage.css', '/assets/Meter.css'],
        ['/api/accounts/users/me/', '/api/review/dashboard/'],
      ],
      ['contents/:id', ['/assets/ContentDetailPage.js', '/assets/useQuery.js'], ['/api/accounts/users/me/']],
      ['*', ['/assets/NotFoundPage.js'], ['/api/accounts/users/me/']],
    ]);
  });

  it('fails the build for a page without a chunk or calls for a route that does not exist', () => {
    expect(() => preloadTable(routeTable(ROUTES), CHUNKS.slice(0, 3), GETS)).toThrow(/no chunk for pages\/dashboard/);
    expect(() => preloadTable(routeTable(ROUTES), CHUNKS, { always: [], byRoute: { dashbord: ['/api/x/'] } })).toThrow(
      /unknown route: dashbord/,
    );
  });
});
