// WCAG AA: text pairs ≥ 4.5:1, UI boundaries (input borders, focus ring) ≥ 3:1, in both themes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const css = readFileSync(join(__dirname, 'tokens.css'), 'utf8');

function block(theme: 'light' | 'dark'): Record<string, string> {
  const re = new RegExp(`:root\\[data-theme='${theme}'\\]\\s*\\{([^}]*)\\}`);
  const body = re.exec(css)?.[1] ?? '';
  return Object.fromEntries([...body.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})/gi)].map((m) => [m[1]!, m[2]!]));
}

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function ratio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const TEXT: [string, string][] = [
  ['color-text', 'color-bg'],
  ['color-text', 'color-surface'],
  ['color-text', 'color-surface-2'],
  ['color-text-muted', 'color-bg'],
  ['color-text-muted', 'color-surface'],
  ['color-link', 'color-bg'],
  ['color-link', 'color-surface'],
  ['color-link', 'color-surface-2'],
  ['color-on-primary', 'color-primary'],
  ['color-on-primary', 'color-primary-hover'],
  ['color-on-danger', 'color-danger'],
  ['color-on-danger', 'color-danger-hover'],
  ['color-danger', 'color-bg'],
  ['color-success', 'color-bg'],
  ['color-success', 'color-success-bg'],
  ['color-text', 'color-danger-bg'],
  ['color-warning-text', 'color-warning-bg'],
];
const UI: [string, string][] = [
  ['color-border-strong', 'color-bg'],
  ['color-border-strong', 'color-surface'],
  ['color-focus', 'color-bg'],
  ['color-focus', 'color-surface'],
  ['color-primary', 'color-bg'],
];

describe.each(['light', 'dark'] as const)('%s theme contrast', (theme) => {
  const tokens = block(theme);
  it.each(TEXT)('%s on %s ≥ 4.5:1', (fg, bg) => {
    expect(tokens[fg], fg).toBeDefined();
    expect(tokens[bg], bg).toBeDefined();
    expect(ratio(tokens[fg]!, tokens[bg]!)).toBeGreaterThanOrEqual(4.5);
  });
  it.each(UI)('%s on %s ≥ 3:1', (fg, bg) => {
    expect(ratio(tokens[fg]!, tokens[bg]!)).toBeGreaterThanOrEqual(3);
  });
});
