export { AuthProvider } from './AuthProvider';
export { useAuth, type AuthStatus, type AuthContextValue } from './context';
export { RequireAuth, RequireStaff, RedirectIfSignedIn } from './guards';
export { emailVerificationRequired, safeNext } from './session';
