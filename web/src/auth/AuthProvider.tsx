import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, isApiError, onSessionExpired } from '../api/client';
import type { User } from '../api/types';
import { flushOutbox } from '../offline/outbox';
import { AuthContext, type AuthContextValue, type AuthStatus } from './context';
import { ME_PATH, restoreSession, signIn, signOut } from './session';

interface AuthState {
  user: User | null;
  status: AuthStatus;
}

// One restore per page load, shared by StrictMode's double effects.
let bootstrap: Promise<User | null> | null = null;

/**
 * Starts restoring the session from the refresh cookie (once per page load). main.tsx calls it
 * before the first render, so the refresh runs while the first page's code still loads;
 * `onToken` (that first call's only) runs once there is an access token.
 */
export function startSessionRestore(onToken?: () => void): Promise<User | null> {
  bootstrap ??= restoreSession(onToken);
  return bootstrap;
}

/** Tests only. */
export function resetAuthBootstrapForTests(): void {
  bootstrap = null;
}

export function AuthProvider({ children, initialUser }: { children: ReactNode; initialUser?: User | null }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<AuthState>(() =>
    initialUser === undefined
      ? { user: null, status: 'loading' }
      : { user: initialUser, status: initialUser ? 'signed-in' : 'signed-out' },
  );
  const generation = useRef(0);

  const restore = useCallback(() => {
    const gen = generation.current;
    startSessionRestore().then(
      (user) => {
        if (generation.current !== gen) return;
        setState({ user, status: user ? 'signed-in' : 'signed-out' });
      },
      () => {
        // Offline or the API is down: treat as signed out for now; retried when back online.
        bootstrap = null;
        if (generation.current !== gen) return;
        setState({ user: null, status: 'signed-out' });
        const retry = () => {
          window.removeEventListener('online', retry);
          if (generation.current === gen) restore();
        };
        window.addEventListener('online', retry);
      },
    );
  }, []);

  useEffect(() => {
    if (initialUser === undefined) restore();
  }, [initialUser, restore]);

  // A refresh that failed during any call: the session is gone.
  useEffect(
    () =>
      onSessionExpired(() => {
        generation.current++;
        setState((s) => (s.status === 'signed-out' ? s : { user: null, status: 'signed-out' }));
        queryClient.clear();
      }),
    [queryClient],
  );

  // Send queued review completions as soon as a session exists.
  useEffect(() => {
    if (state.status === 'signed-in') void flushOutbox();
  }, [state.status]);

  const login = useCallback(async (email: string, password: string) => {
    const user = await signIn(email, password);
    generation.current++;
    bootstrap = Promise.resolve(user);
    setState({ user, status: 'signed-in' });
    return user;
  }, []);

  const logout = useCallback(async () => {
    generation.current++;
    await signOut();
    bootstrap = Promise.resolve(null);
    queryClient.clear();
    setState({ user: null, status: 'signed-out' });
  }, [queryClient]);

  const refreshUser = useCallback(async () => {
    try {
      const user = await api.get<User>(ME_PATH);
      setState({ user, status: 'signed-in' });
      return user;
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        setState({ user: null, status: 'signed-out' });
        return null;
      }
      throw error;
    }
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({ user: state.user, status: state.status, login, logout, refreshUser }),
    [state, login, logout, refreshUser],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}
