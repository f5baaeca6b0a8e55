export {
  initTheme,
  getTheme,
  setThemePref,
  resolveTheme,
  subscribeTheme,
  isThemePref,
  THEME_STORAGE_KEY,
  type ThemePref,
  type ResolvedTheme,
} from './theme';
export { useTheme } from './useTheme';
