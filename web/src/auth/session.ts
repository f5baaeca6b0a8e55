// Session helpers that need no React.
import { api, discardBootGets, isApiError, refreshAccessToken, setAccessToken } from '../api/client';
import type { TokenResponse, User } from '../api/types';
import { ME_PATH } from '../bootGets';

export { ME_PATH };

/**
 * Restore the session from the refresh cookie: the user, or null when signed out. Throws on network
 * failure. `onToken` runs as soon as there is an access token, before the user is asked for.
 */
export async function restoreSession(onToken?: () => void): Promise<User | null> {
  try {
    const token = await refreshAccessToken();
    if (!token) return null;
    onToken?.();
    return await api.get<User>(ME_PATH);
  } finally {
    discardBootGets();
  }
}

export async function signIn(email: string, password: string): Promise<User> {
  const { access } = await api.post<TokenResponse>('/api/auth/token/', { email, password }, { auth: false });
  setAccessToken(access);
  try {
    return await api.get<User>(ME_PATH);
  } catch (error) {
    setAccessToken(null);
    throw error;
  }
}

export async function signOut(): Promise<void> {
  try {
    await api.post('/api/auth/logout/');
  } catch {
    // Signing out locally must work even when the API is unreachable.
  } finally {
    setAccessToken(null);
  }
}

/**
 * A login answered with `{"email_verification_required": ["True"], "email": ["x@y"]}` → the email
 * (or '' if absent); any other error → null.
 */
export function emailVerificationRequired(error: unknown): string | null {
  if (!isApiError(error) || error.status !== 400) return null;
  const body = error.body as Record<string, unknown> | null;
  if (!body || typeof body !== 'object' || !('email_verification_required' in body)) return null;
  const email = body.email;
  if (Array.isArray(email) && typeof email[0] === 'string') return email[0];
  return typeof email === 'string' ? email : '';
}

/** A `?next=` value that is safe to navigate to (same-site path only), else the fallback. */
export function safeNext(next: string | null | undefined, fallback = '/dashboard'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  return next;
}
