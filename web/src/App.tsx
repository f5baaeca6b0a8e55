import type { ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { AuthProvider } from './auth/AuthProvider';
import { ToastProvider } from './components/Toast';
import type { User } from './api/types';

/** Every provider the app needs, in order. Tests render pages inside the same stack. */
export function Providers({
  queryClient,
  children,
  initialUser,
}: {
  queryClient: QueryClient;
  children: ReactNode;
  /** tests: skip the session restore and start signed in (a User) or signed out (null) */
  initialUser?: User | null;
}) {
  return (
    <QueryClientProvider client={queryClient}>
      <AuthProvider initialUser={initialUser}>
        <ToastProvider>{children}</ToastProvider>
      </AuthProvider>
    </QueryClientProvider>
  );
}
