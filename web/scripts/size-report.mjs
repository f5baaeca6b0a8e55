// Reports the gzip size of the JavaScript a browser loads for the first paint of given routes
// (the entry chunk + its static imports + the route's lazy page chunk + its static imports), from
// Vite's dist/.vite/manifest.json (kB = 1000 bytes, as Vite prints). Fails when a route exceeds the budget. Run after `npm run build`:
//   npm run size
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUDGET_KB = 150;
const ROUTES = {
  '/': 'src/pages/landing/LandingPage.tsx',
  '/login': 'src/pages/auth/LoginPage.tsx',
  '/register': 'src/pages/auth/RegisterPage.tsx',
};

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));

function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  const entry = manifest[key];
  if (!entry) throw new Error(`not in the manifest: ${key}`);
  seen.add(key);
  for (const dep of entry.imports ?? []) closure(dep, seen);
  return seen;
}

const gz = (file) => gzipSync(readFileSync(join(dist, file))).length;
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
let failed = false;
for (const [route, page] of Object.entries(ROUTES)) {
  const keys = closure(page, closure(entryKey));
  const files = [...keys].map((k) => manifest[k].file).filter((f) => f.endsWith('.js'));
  const total = files.reduce((sum, f) => sum + gz(f), 0);
  const kb = total / 1000;
  const ok = kb <= BUDGET_KB;
  failed ||= !ok;
  console.log(`${route.padEnd(10)} ${kb.toFixed(1).padStart(6)} kB gzip in ${files.length} files ${ok ? 'ok' : `OVER ${BUDGET_KB} kB`}`);
  for (const f of files) console.log(`    ${f} ${(gz(f) / 1000).toFixed(1)} kB`);
}
process.exit(failed ? 1 : 0);
