// Lighthouse on the dashboard of a seeded user, against the stack web/e2e/stack.sh started
// (E2E_BASE_URL, E2E_MAILDIR). Writes the report JSON and a markdown summary to $OUT_DIR and
// exits non-zero when the performance score is under the target.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';

const base = process.env.E2E_BASE_URL;
const maildir = process.env.E2E_MAILDIR;
const outDir = process.env.OUT_DIR ?? '.';
const preset = process.env.LIGHTHOUSE_PRESET ?? 'mobile';
const target = Number(process.env.TARGET_SCORE ?? 95);
const runCount = Math.max(1, Number(process.env.LIGHTHOUSE_RUNS ?? 5));
const password = 'Quiet-River-2941';
const email = `lighthouse-${Date.now()}@example.com`;

async function call(path, { method = 'POST', body, token, cookie } = {}) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (cookie) headers.Cookie = cookie;
  const response = await fetch(base + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return { json: text ? JSON.parse(text) : null, response };
}

async function verificationToken() {
  for (let i = 0; i < 120; i++) {
    for (const name of readdirSync(maildir)) {
      const raw = readFileSync(join(maildir, name), 'utf8').replace(/=\r?\n/g, '').replace(/=3D/g, '=');
      if (!raw.includes(email)) continue;
      const match = raw.match(/verify-email\?token=([A-Za-z0-9_-]+)/);
      if (match) return match[1];
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('no verification mail');
}

// A user with a year of history would take long to make through the API; 40 notes with a few
// reviews each give the dashboard real numbers, a heatmap and a forecast to draw.
await call('/api/accounts/users/register/', { body: { email, password, password_confirm: password } });
await call('/api/accounts/verify-email/', { body: { email, token: await verificationToken() } });
const login = await call('/api/auth/token/', { body: { email, password } });
const token = login.json.access;
for (let i = 1; i <= 40; i++) {
  await call('/api/contents/', { token, body: { title: `Note ${i}`, content: `# Note ${i}\n\nBody of note ${i}.` } });
}
const today = await call('/api/review/schedules/today/', { method: 'GET', token });
const results = ['remembered', 'partial', 'forgot'];
for (const [i, card] of today.json.results.slice(0, 30).entries()) {
  await call(`/api/review/schedules/${card.id}/completions/`, { token, body: { result: results[i % 3] } });
}
const cookie = login.response.headers.get('set-cookie').split(';')[0];

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || undefined,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--no-first-run'],
});
try {
  const config = preset === 'desktop' ? (await import('lighthouse/core/config/desktop-config.js')).default : undefined;
  // Lighthouse's own advice: scores vary from run to run, report the median of several.
  const runs = [];
  for (let i = 0; i < runCount; i++) {
    const result = await lighthouse(
      `${base}/dashboard`,
      { port: chrome.port, output: 'json', onlyCategories: ['performance'], extraHeaders: { Cookie: cookie } },
      config,
    );
    if (result.lhr.finalDisplayedUrl.includes('/login')) throw new Error('Lighthouse saw the login page: the session was not restored');
    runs.push(result);
  }
  const scoreOf = (r) => Math.round(r.lhr.categories.performance.score * 100);
  const sorted = [...runs].sort((a, b) => scoreOf(a) - scoreOf(b));
  const median = sorted[Math.floor(sorted.length / 2)];
  const lhr = median.lhr;
  writeFileSync(join(outDir, 'lighthouse-dashboard.json'), median.report);
  const score = scoreOf(median);
  const metric = (id) => lhr.audits[id].displayValue;
  const summary = [
    `| page | preset | score (median of ${runs.length}) | FCP | LCP | TBT | CLS | Speed Index | every run's score |`,
    `|---|---|---|---|---|---|---|---|---|`,
    `| /dashboard | ${preset} | **${score}** (target ≥ ${target}) | ${metric('first-contentful-paint')} | ${metric('largest-contentful-paint')} | ${metric('total-blocking-time')} | ${metric('cumulative-layout-shift')} | ${metric('speed-index')} | ${runs.map(scoreOf).join(', ')} |`,
  ].join('\n');
  writeFileSync(join(outDir, 'lighthouse.md'), summary + '\n');
  console.log(summary);
  if (score < target) process.exitCode = 1;
} finally {
  await chrome.kill();
}
