import { act, render, screen, waitFor } from '@testing-library/react';
import { createMemoryRouter, Outlet, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import { Providers } from '../App';
import { createQueryClient } from '../api/queryClient';
import { getAccessToken } from '../api/client';
import { json, mockFetch } from '../test/fetch';
import { LocationProbe, renderRoutes, testUser } from '../test/render';
import { startSessionRestore } from './AuthProvider';
import { useAuth } from './context';
import { RedirectIfSignedIn, RequireAuth, RequireStaff } from './guards';

function Status() {
  const { status, user, logout } = useAuth();
  return (
    <div>
      <span data-testid="status">{status}</span>
      <span data-testid="email">{user?.email ?? ''}</span>
      <button onClick={() => void logout()}>logout</button>
    </div>
  );
}

describe('AuthProvider', () => {
  it('restores the session from the refresh cookie on load', async () => {
    const { calls } = mockFetch(({ url }) =>
      url === '/api/auth/token/refresh/' ? json({ access: 'restored' }) : json(testUser),
    );
    const queryClient = createQueryClient();
    render(
      <Providers queryClient={queryClient}>
        <Status />
      </Providers>,
    );
    expect(screen.getByTestId('status')).toHaveTextContent('loading');
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('signed-in'));
    expect(screen.getByTestId('email')).toHaveTextContent('me@example.com');
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/token/refresh/', '/api/accounts/users/me/']);
    expect(calls[0]?.method).toBe('POST');
  });

  it('uses the restore main.tsx started before the first render; onToken runs before /me', async () => {
    const { calls } = mockFetch(({ url }) =>
      url === '/api/auth/token/refresh/' ? json({ access: 'early' }) : json(testUser),
    );
    const seenAtToken: string[][] = [];
    void startSessionRestore(() => seenAtToken.push(calls.map((c) => c.url)));
    render(
      <Providers queryClient={createQueryClient()}>
        <Status />
      </Providers>,
    );
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('signed-in'));
    expect(seenAtToken).toEqual([['/api/auth/token/refresh/']]);
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/token/refresh/', '/api/accounts/users/me/']);
  });

  it('is signed out when there is no refresh cookie', async () => {
    mockFetch(() => json({ detail: 'no cookie' }, 401));
    render(
      <Providers queryClient={createQueryClient()}>
        <Status />
      </Providers>,
    );
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('signed-out'));
  });

  it('logout calls the API, drops the token and clears the query cache', async () => {
    const { calls } = mockFetch(({ url }) =>
      url === '/api/auth/token/refresh/' ? json({ access: 'restored' }) : url === '/api/auth/logout/' ? json({ message: 'bye' }) : json(testUser),
    );
    const queryClient = createQueryClient();
    queryClient.setQueryData(['contents', 'list', {}], { results: [1, 2] });
    render(
      <Providers queryClient={queryClient}>
        <Status />
      </Providers>,
    );
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('signed-in'));
    await act(async () => screen.getByText('logout').click());
    await waitFor(() => expect(screen.getByTestId('status')).toHaveTextContent('signed-out'));
    expect(calls.some((c) => c.url === '/api/auth/logout/' && c.method === 'POST')).toBe(true);
    expect(getAccessToken()).toBeNull();
    expect(queryClient.getQueryCache().getAll()).toHaveLength(0);
  });
});

describe('route guards', () => {
  const routes = [
    {
      element: <Outlet />,
      children: [
        { element: <RequireAuth />, children: [{ path: '/review', element: <p>review page</p> }] },
        {
          element: <RequireAuth />,
          children: [{ element: <RequireStaff />, children: [{ path: '/admin', element: <p>admin page</p> }] }],
        },
        { element: <RedirectIfSignedIn />, children: [{ path: '/login', element: <LocationProbe /> }] },
      ],
    },
  ];

  it('RequireAuth sends visitors to /login?next=', async () => {
    renderRoutes(routes, { path: '/review?x=1', initialUser: null });
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login?next=%2Freview%3Fx%3D1'));
  });

  it('RequireAuth renders the page for signed-in users', () => {
    renderRoutes(routes, { path: '/review', initialUser: testUser });
    expect(screen.getByText('review page')).toBeInTheDocument();
  });

  it('RequireStaff hides admin pages from non-staff', async () => {
    mockFetch(() => json({}));
    renderRoutes(routes, { path: '/admin', initialUser: testUser });
    expect(await screen.findByRole('heading', { name: '페이지를 찾을 수 없습니다' })).toBeInTheDocument();
    expect(screen.queryByText('admin page')).toBeNull();
  });

  it('RequireStaff lets staff in', () => {
    renderRoutes(routes, { path: '/admin', initialUser: { ...testUser, is_staff: true } });
    expect(screen.getByText('admin page')).toBeInTheDocument();
  });

  it('RedirectIfSignedIn sends signed-in users on to next', async () => {
    const router = createMemoryRouter([...routes, { path: '*', element: <LocationProbe /> }], {
      initialEntries: ['/login?next=%2Fcontents'],
    });
    render(
      <Providers queryClient={createQueryClient()} initialUser={testUser}>
        <RouterProvider router={router} />
      </Providers>,
    );
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/contents'));
  });
});
