// Light / dark / system theme. public/boot.js (loaded by index.html) applies the same rule before
// first paint (no flash); this module keeps it in sync afterwards. Keep the two in step.

export type ThemePref = 'light' | 'dark' | 'system';
export type ResolvedTheme = 'light' | 'dark';
export const THEME_STORAGE_KEY = 'resee.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export function isThemePref(value: unknown): value is ThemePref {
  return value === 'light' || value === 'dark' || value === 'system';
}

function systemPrefersDark(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia(DARK_QUERY).matches
    : false;
}

export function resolveTheme(pref: ThemePref): ResolvedTheme {
  if (pref === 'system') return systemPrefersDark() ? 'dark' : 'light';
  return pref;
}

function readStoredPref(): ThemePref {
  try {
    const stored = localStorage.getItem(THEME_STORAGE_KEY);
    return isThemePref(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

export interface ThemeState {
  pref: ThemePref;
  resolved: ResolvedTheme;
}

let state: ThemeState = { pref: 'system', resolved: 'light' };
const listeners = new Set<() => void>();

function apply(): void {
  state = { pref: state.pref, resolved: resolveTheme(state.pref) };
  if (typeof document !== 'undefined') {
    document.documentElement.dataset.theme = state.resolved;
  }
  for (const l of listeners) l();
}

export function getTheme(): ThemeState {
  return state;
}

export function setThemePref(pref: ThemePref): void {
  try {
    if (pref === 'system') localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, pref);
  } catch {
    // storage disabled
  }
  state = { ...state, pref };
  apply();
}

export function subscribeTheme(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

let mediaCleanup: (() => void) | null = null;

/** Read the stored preference, apply it, and follow the OS setting while on "system". */
export function initTheme(): ThemeState {
  state = { ...state, pref: readStoredPref() };
  apply();
  mediaCleanup?.();
  mediaCleanup = null;
  if (typeof window !== 'undefined' && typeof window.matchMedia === 'function') {
    const mq = window.matchMedia(DARK_QUERY);
    const onChange = () => {
      if (state.pref === 'system') apply();
    };
    mq.addEventListener('change', onChange);
    mediaCleanup = () => mq.removeEventListener('change', onChange);
  }
  return state;
}
