// Every page, in Korean and English, light and dark: it renders its heading, passes an axe scan
// with no serious or critical violation, fits the viewport (360 px phones included), shows no
// untranslated Korean in English, and leaves a screenshot in artifacts/screenshots/.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { buildWorld, type World } from './fixtures';
import { signIn } from './support';

type Who = 'anonymous' | 'writer' | 'taker' | 'staff';
type Visit = { name: string; who: Who; path: (w: World) => string };

const visits: Visit[] = [
  { name: 'landing', who: 'anonymous', path: () => '/' },
  { name: 'login', who: 'anonymous', path: () => '/login' },
  { name: 'register', who: 'anonymous', path: () => '/register' },
  { name: 'verify-pending', who: 'anonymous', path: () => '/verify-pending?email=someone%40example.com' },
  { name: 'verify-email-bad-token', who: 'anonymous', path: () => '/verify-email?token=nope&email=someone%40example.com' },
  { name: 'forgot-password', who: 'anonymous', path: () => '/forgot-password' },
  { name: 'reset-password', who: 'anonymous', path: () => '/reset-password?token=nope&email=someone%40example.com' },
  { name: 'unsubscribe', who: 'anonymous', path: () => '/unsubscribe?token=nope' },
  { name: 'not-found', who: 'anonymous', path: () => '/no-such-page' },
  { name: 'dashboard', who: 'writer', path: () => '/dashboard' },
  { name: 'contents', who: 'writer', path: () => '/contents' },
  { name: 'note-new', who: 'writer', path: () => '/contents/new' },
  { name: 'note-detail', who: 'writer', path: (w) => `/contents/${w.noteId}` },
  { name: 'note-edit', who: 'writer', path: (w) => `/contents/${w.noteId}/edit` },
  { name: 'review', who: 'writer', path: () => '/review' },
  { name: 'categories', who: 'writer', path: () => '/categories' },
  { name: 'exams', who: 'writer', path: () => '/exams' },
  { name: 'exam-new', who: 'taker', path: () => '/exams/new' },
  { name: 'exam-take', who: 'taker', path: (w) => `/exams/${w.pendingExamId}/take` },
  { name: 'exam-results', who: 'writer', path: (w) => `/exams/${w.doneExamId}/results` },
  { name: 'profile', who: 'writer', path: () => '/profile' },
  { name: 'settings', who: 'writer', path: () => '/settings' },
  { name: 'subscription', who: 'writer', path: () => '/subscription' },
  { name: 'admin', who: 'staff', path: () => '/admin' },
];

const looks = [
  { lang: 'ko', theme: 'light' },
  { lang: 'en', theme: 'dark' },
  { lang: 'en', theme: 'light' },
  { lang: 'ko', theme: 'dark' },
] as const;

let world: World;
// One signed-in page per account for the whole run: the session lives in its refresh cookie,
// which every page load rotates, so contexts are kept rather than saved and restored.
const pages = new Map<Who, Page>();

test.beforeAll(async ({ request }) => {
  test.setTimeout(240_000);
  world = await buildWorld(request);
});

test.afterAll(async () => {
  for (const page of pages.values()) await page.context().close();
  pages.clear();
});

async function pageOf(browser: Browser, who: Who, viewport: { width: number; height: number }): Promise<Page> {
  let page = pages.get(who);
  if (page && page.viewportSize()?.width !== viewport.width) {
    await page.context().close();
    page = undefined;
  }
  if (!page) {
    page = await (await browser.newContext({ viewport, baseURL: process.env.E2E_BASE_URL })).newPage();
    if (who === 'anonymous') await page.goto('/login');
    else await signIn(page, world[who]);
    pages.set(who, page);
  }
  return page;
}

/** Waits until the page has its heading and nothing is loading any more (no busy region, no
 * skeleton, no spinner). */
async function settled(page: Page): Promise<void> {
  await expect(page.locator('h1').first()).toBeVisible();
  await expect(page.locator('[aria-busy="true"], .skeleton, .spinner, .page-loader')).toHaveCount(0);
  await page.evaluate(() => document.fonts.ready);
}

async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Hangul outside elements that declare themselves Korean (the language picker's "한국어"). */
async function untranslated(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      if (!/[\uac00-\ud7a3]/.test(text)) continue;
      const parent = node.parentElement;
      if (!parent || parent.closest('[lang="ko"], noscript, script, style')) continue;
      if (parent.closest('[hidden], [aria-hidden="true"]')) continue;
      found.push(text.trim());
    }
    return found;
  });
}

for (const look of looks) {
  test.describe(`${look.lang} ${look.theme}`, () => {
    for (const visit of visits) {
      test(visit.name, async ({ browser, viewport }, info) => {
        const page = await pageOf(browser, visit.who, viewport ?? { width: 1280, height: 800 });
        // What the settings page persists; the inline script in index.html applies it on load.
        await page.evaluate(([theme, lang]) => {
          localStorage.setItem('resee.theme', theme);
          localStorage.setItem('resee.lang', lang);
        }, [look.theme, look.lang] as const);
        await page.goto(visit.path(world));
        await settled(page);

        await expect(page.locator('html')).toHaveAttribute('lang', look.lang);
        await expect(page.locator('html')).toHaveAttribute('data-theme', look.theme);
        expect(await seriousViolations(page), 'axe: serious or critical violations').toEqual([]);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, 'the page is wider than the viewport').toBeLessThanOrEqual(1);
        if (look.lang === 'en') expect(await untranslated(page), 'Korean text on an English page').toEqual([]);

        await page.screenshot({
          path: `artifacts/screenshots/${info.project.name}/${look.lang}-${look.theme}/${visit.name}.png`,
          fullPage: true,
        });
      });
    }
  });
}
