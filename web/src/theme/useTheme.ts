import { useSyncExternalStore } from 'react';
import { getTheme, setThemePref, subscribeTheme, type ThemePref, type ResolvedTheme } from './theme';

export function useTheme(): { pref: ThemePref; resolved: ResolvedTheme; setPref: (pref: ThemePref) => void } {
  const state = useSyncExternalStore(subscribeTheme, getTheme, getTheme);
  return { pref: state.pref, resolved: state.resolved, setPref: setThemePref };
}
