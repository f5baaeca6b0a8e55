// The route table — the one place routes are declared. Every page is a lazily loaded module
// `src/pages/<area>/<Name>Page.tsx` with a default export; replace the page file, not this table.
import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import { RedirectIfSignedIn, RequireAuth, RequireStaff } from './auth/guards';
import { AppShell } from './components/AppShell';
import { RouteError } from './components/RouteError';
import { PageLoader } from './components/Spinner';

/** Lazy route module from a page's default export. */
function page(load: () => Promise<{ default: ComponentType }>): RouteObject['lazy'] {
  return async () => ({ Component: (await load()).default });
}

export const routes: RouteObject[] = [
  {
    path: '/',
    element: <AppShell />,
    errorElement: <RouteError />,
    children: [
      {
        // Errors inside a page keep the header (this boundary sits inside the shell).
        errorElement: <RouteError />,
        // While the first page's module loads: the shell (header) is drawn, the loader inside it.
        hydrateFallbackElement: <PageLoader />,
        children: [
          { index: true, lazy: page(() => import('./pages/landing/LandingPage')) },

          // Public, only for signed-out visitors.
          {
            element: <RedirectIfSignedIn />,
            children: [
              { path: 'login', lazy: page(() => import('./pages/auth/LoginPage')) },
              { path: 'register', lazy: page(() => import('./pages/auth/RegisterPage')) },
              { path: 'forgot-password', lazy: page(() => import('./pages/auth/ForgotPasswordPage')) },
            ],
          },

          // Public, reached from emails (docs/OPERATIONS.md → Email: /verify-email, /reset-password, /unsubscribe).
          { path: 'verify-email', lazy: page(() => import('./pages/auth/VerifyEmailPage')) },
          { path: 'verify-pending', lazy: page(() => import('./pages/auth/VerifyPendingPage')) },
          { path: 'reset-password', lazy: page(() => import('./pages/auth/ResetPasswordPage')) },
          { path: 'unsubscribe', lazy: page(() => import('./pages/unsubscribe/UnsubscribePage')) },

          // Signed-in users.
          {
            element: <RequireAuth />,
            children: [
              { path: 'dashboard', lazy: page(() => import('./pages/dashboard/DashboardPage')) },
              { path: 'contents', lazy: page(() => import('./pages/contents/ContentsPage')) },
              { path: 'contents/new', lazy: page(() => import('./pages/contents/ContentNewPage')) },
              { path: 'contents/:id', lazy: page(() => import('./pages/contents/ContentDetailPage')) },
              { path: 'contents/:id/edit', lazy: page(() => import('./pages/contents/ContentEditPage')) },
              { path: 'review', lazy: page(() => import('./pages/review/ReviewPage')) },
              { path: 'categories', lazy: page(() => import('./pages/categories/CategoriesPage')) },
              { path: 'exams', lazy: page(() => import('./pages/exams/ExamsPage')) },
              { path: 'exams/new', lazy: page(() => import('./pages/exams/ExamNewPage')) },
              { path: 'exams/:id/take', lazy: page(() => import('./pages/exams/ExamTakePage')) },
              { path: 'exams/:id/results', lazy: page(() => import('./pages/exams/ExamResultsPage')) },
              { path: 'profile', lazy: page(() => import('./pages/profile/ProfilePage')) },
              { path: 'settings', lazy: page(() => import('./pages/settings/SettingsPage')) },
              { path: 'subscription', lazy: page(() => import('./pages/subscription/SubscriptionPage')) },
              {
                element: <RequireStaff />,
                children: [{ path: 'admin', lazy: page(() => import('./pages/admin/AdminPage')) }],
              },
            ],
          },

          { path: '*', lazy: page(() => import('./pages/not-found/NotFoundPage')) },
        ],
      },
    ],
  },
];
