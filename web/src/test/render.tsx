import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import type { QueryClient } from '@tanstack/react-query';
import { createMemoryRouter, RouterProvider, useLocation, type RouteObject } from 'react-router';
import { Providers } from '../App';
import { createQueryClient } from '../api/queryClient';
import type { User } from '../api/types';

export const testUser: User = {
  id: 1,
  email: 'me@example.com',
  username: null,
  is_email_verified: true,
  is_staff: false,
  is_superuser: false,
  weekly_goal: 7,
  date_joined: '2025-01-01T00:00:00+09:00',
  subscription: null,
};

/** Renders the current path + search, for asserting navigations. */
export function LocationProbe() {
  const location = useLocation();
  return <div data-testid="location">{`${location.pathname}${location.search}`}</div>;
}

/**
 * Render routes in a memory router inside the app's providers.
 * Any path not in `routes` renders <LocationProbe/>, so `screen.getByTestId('location')` shows where
 * a navigation went.
 */
export function renderRoutes(
  routes: RouteObject[],
  {
    path = '/',
    initialUser = null,
    queryClient = createQueryClient(),
  }: { path?: string; initialUser?: User | null; queryClient?: QueryClient } = {},
) {
  // The app's defaults (staleTime…), without retries.
  const defaults = queryClient.getDefaultOptions();
  queryClient.setDefaultOptions({
    queries: { ...defaults.queries, retry: false },
    mutations: { ...defaults.mutations, retry: false },
  });
  const router = createMemoryRouter([...routes, { path: '*', element: <LocationProbe /> }], {
    initialEntries: [path],
  });
  const utils = render(
    <Providers queryClient={queryClient} initialUser={initialUser}>
      <RouterProvider router={router} />
    </Providers>,
  );
  return { ...utils, router, queryClient };
}

/** Render one page component at `path`. */
export function renderPage(
  element: ReactElement,
  options: { path?: string; initialUser?: User | null; route?: string; queryClient?: QueryClient } = {},
) {
  const path = options.path ?? '/';
  const route = options.route ?? path.split('?')[0] ?? '/';
  return renderRoutes([{ path: route, element }], options);
}
