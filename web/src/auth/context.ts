import { createContext, useContext } from 'react';
import type { User } from '../api/types';

export type AuthStatus = 'loading' | 'signed-in' | 'signed-out';

export interface AuthContextValue {
  user: User | null;
  status: AuthStatus;
  /** POST /api/auth/token/ then GET users/me/. Throws ApiError (see emailVerificationRequired). */
  login(email: string, password: string): Promise<User>;
  /** POST /api/auth/logout/, drops the token, clears the whole query cache. */
  logout(): Promise<void>;
  /** Re-read GET users/me/ (after a profile change, email verification, plan change…). */
  refreshUser(): Promise<User | null>;
}

export const AuthContext = createContext<AuthContextValue | null>(null);

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth() must be used inside <AuthProvider>');
  return value;
}
