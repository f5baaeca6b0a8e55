import { lazy, Suspense } from 'react';
import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router';
import { PageLoader } from '../components/Spinner';
import { useAuth } from './context';
import { safeNext } from './session';

const NotFoundPage = lazy(() => import('../pages/not-found/NotFoundPage'));

/** Layout route: children only for signed-in users; others go to /login?next=<here>. */
export function RequireAuth() {
  const { status } = useAuth();
  const location = useLocation();
  if (status === 'loading') return <PageLoader />;
  if (status === 'signed-out') {
    const next = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

/** Layout route inside RequireAuth: staff only; others see the 404 page (as the API answers). */
export function RequireStaff() {
  const { status, user } = useAuth();
  if (status === 'loading') return <PageLoader />;
  if (!user?.is_staff) {
    return (
      <Suspense fallback={<PageLoader />}>
        <NotFoundPage />
      </Suspense>
    );
  }
  return <Outlet />;
}

/** Layout route for /login, /register…: signed-in users go to ?next= or the dashboard. */
export function RedirectIfSignedIn() {
  const { status } = useAuth();
  const [params] = useSearchParams();
  if (status === 'loading') return <PageLoader />;
  if (status === 'signed-in') return <Navigate to={safeNext(params.get('next'))} replace />;
  return <Outlet />;
}
