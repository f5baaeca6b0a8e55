// Helpers of the browser tests: the test inbox (a maildir written by aiosmtpd), accounts made
// through the API for tests that are not about signing up, and signing in through the UI.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type APIRequestContext, type Page } from '@playwright/test';

export const PASSWORD = 'Quiet-River-2941';

const maildir = (): string => {
  const dir = process.env.E2E_MAILDIR;
  if (!dir) throw new Error('E2E_MAILDIR is not set: run the tests through ./stack.sh');
  return dir;
};

/** A fresh address per test run, so reruns against one database never collide. */
export function uniqueEmail(name: string): string {
  return `${name}-${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}@example.com`;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const joined = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] ?? '', 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The text of every part of a raw message, transfer encodings undone. */
export function messageText(raw: string): string {
  const parts = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  return parts
    .map((part) => {
      const split = part.search(/\r?\n\r?\n/);
      if (split < 0) return part;
      const headers = part.slice(0, split).toLowerCase();
      const body = part.slice(split).trim();
      if (headers.includes('content-transfer-encoding: base64')) {
        return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
      }
      if (headers.includes('content-transfer-encoding: quoted-printable')) return decodeQuotedPrintable(body);
      return body;
    })
    .join('\n');
}

/** The newest message to `to` whose text matches `pattern`, waiting for the worker to send it. */
export async function waitForMail(to: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const files = readdirSync(maildir()).map((name) => join(maildir(), name));
    const texts = files
      .map((file) => readFileSync(file, 'utf8'))
      .filter((raw) => new RegExp(`^X-RcptTo:.*${to.replace(/[.+]/g, '\\$&')}`, 'mi').test(raw))
      .map(messageText)
      .filter((text) => pattern.test(text));
    const last = texts.at(-1);
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`no mail to ${to} matching ${pattern} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The SPA link (path and query) of a given route inside a mail, e.g. `/verify-email`. */
export function linkIn(text: string, route: string): string {
  const match = text.match(new RegExp(`https?://[^\\s"'<>]+${route}\\?[^\\s"'<>]+`));
  if (!match) throw new Error(`no ${route} link in:\n${text}`);
  const url = new URL(match[0].replace(/&amp;/g, '&'));
  return url.pathname + url.search;
}

/** Registers and verifies an account through the API (the verification link from the inbox). */
export async function verifiedAccount(request: APIRequestContext, name: string): Promise<string> {
  const email = uniqueEmail(name);
  const registered = await request.post('/api/accounts/users/register/', {
    data: { email, password: PASSWORD, password_confirm: PASSWORD },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  const link = new URL(linkIn(await waitForMail(email, /verify-email/), '/verify-email'), 'http://x');
  const verified = await request.post('/api/accounts/verify-email/', {
    data: { email, token: link.searchParams.get('token') },
  });
  expect(verified.status(), await verified.text()).toBe(200);
  return email;
}

/** An access token for API-side setup of a signed-in test. */
export async function accessToken(request: APIRequestContext, email: string): Promise<string> {
  const response = await request.post('/api/auth/token/', { data: { email, password: PASSWORD } });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { access: string }).access;
}

/** Signs in through the login page and waits for the dashboard. */
export async function signIn(page: Page, email: string): Promise<void> {
  await page.goto('/login');
  await page.getByRole('textbox', { name: /^(이메일|Email)$/ }).fill(email);
  await page.getByRole('textbox', { name: /^(비밀번호|Password)$/ }).fill(PASSWORD);
  await page.getByRole('button', { name: /^(로그인|Sign in|Log in)$/ }).click();
  await expect(page).toHaveURL(/\/dashboard/);
}

/** A note made through the API; body long enough for the AI modes when `long`. */
export async function createNote(
  request: APIRequestContext,
  token: string,
  note: { title: string; content: string; review_mode?: string },
): Promise<{ id: number }> {
  const response = await request.post('/api/contents/', {
    data: note,
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { id: number };
}

/** Starts every test from a given theme and language (what the settings page persists). */
export async function usePreferences(page: Page, prefs: { theme: 'light' | 'dark'; lang: 'ko' | 'en' }): Promise<void> {
  await page.addInitScript(([theme, lang]) => {
    localStorage.setItem('resee.theme', theme);
    localStorage.setItem('resee.lang', lang);
  }, [prefs.theme, prefs.lang] as const);
}
