// The route table the build writes for public/boot.js (scripts/route-preloads.ts reads routes.tsx's
// source) must be the router's own: same patterns, same pages.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import { describe, expect, it } from 'vitest';
import { routeTable } from '../scripts/route-preloads';
import { BOOT_GETS_BY_ROUTE } from './bootGets';
import { routes } from './routes';

const pages = import.meta.glob<{ default: ComponentType }>('./pages/**/*Page.tsx');

/** [full pattern, lazy loader] of every page route, as the router sees them. */
function pageRoutes(list: RouteObject[], prefix = ''): Array<[string, NonNullable<RouteObject['lazy']>]> {
  return list.flatMap((route) => {
    const path = route.index ? prefix : [prefix, route.path ?? ''].filter(Boolean).join('/').replace(/^\/+/, '');
    const own: Array<[string, NonNullable<RouteObject['lazy']>]> = route.lazy ? [[path, route.lazy]] : [];
    return [...own, ...pageRoutes(route.children ?? [], path)];
  });
}

describe('the route table of index.html', () => {
  const table = routeTable(readFileSync(join(__dirname, 'routes.tsx'), 'utf8'));

  it('has the router’s page routes, each with the page module the router loads', async () => {
    const router = pageRoutes(routes);
    expect(table.map(([pattern]) => pattern)).toEqual(router.map(([pattern]) => pattern));
    for (const [i, [pattern, page]] of table.entries()) {
      const load = pages[`./${page}.tsx`];
      expect(load, `${pattern}: ${page}`).toBeDefined();
      const lazy = router[i]![1] as () => Promise<{ Component?: ComponentType }>;
      expect((await lazy()).Component, pattern).toBe((await load!()).default);
    }
  });

  it('gives early calls only to routes that exist', () => {
    const patterns = table.map(([pattern]) => pattern);
    for (const pattern of Object.keys(BOOT_GETS_BY_ROUTE)) expect(patterns).toContain(pattern);
  });
});
