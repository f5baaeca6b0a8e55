import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { getTheme, initTheme, setThemePref, THEME_STORAGE_KEY } from './theme';
import { json, mockFetch } from '../test/fetch';

function mockSystemDark(dark: boolean) {
  vi.stubGlobal(
    'matchMedia',
    vi.fn((query: string) => ({
      matches: dark && query.includes('dark'),
      media: query,
      addEventListener: vi.fn(),
      removeEventListener: vi.fn(),
    })),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  delete document.documentElement.dataset.theme;
});

describe('theme', () => {
  it('defaults to the system preference', () => {
    mockSystemDark(true);
    expect(initTheme()).toEqual({ pref: 'system', resolved: 'dark' });
    expect(document.documentElement.dataset.theme).toBe('dark');
  });

  it('persists an explicit choice and applies it as data-theme', () => {
    mockSystemDark(true);
    initTheme();
    setThemePref('light');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBe('light');
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(initTheme()).toEqual({ pref: 'light', resolved: 'light' }); // after a reload
  });

  it('"system" removes the stored choice', () => {
    mockSystemDark(false);
    setThemePref('dark');
    setThemePref('system');
    expect(localStorage.getItem(THEME_STORAGE_KEY)).toBeNull();
    expect(getTheme()).toEqual({ pref: 'system', resolved: 'light' });
  });

  it('public/boot.js, loaded by index.html before first paint, applies the same rule', () => {
    const root = join(__dirname, '..', '..');
    expect(readFileSync(join(root, 'index.html'), 'utf8')).toContain('<script src="/boot.js"></script>');
    const script = readFileSync(join(root, 'public', 'boot.js'), 'utf8');
    mockFetch(() => json({ access: 't' })); // its early session refresh (api/client.test.ts)
    const run = () => new Function(script)();

    mockSystemDark(true);
    run();
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(document.documentElement.lang).toBe('ko');

    localStorage.setItem('resee.theme', 'light');
    localStorage.setItem('resee.lang', 'en');
    run();
    expect(document.documentElement.dataset.theme).toBe('light');
    expect(document.documentElement.lang).toBe('en');
  });
});
