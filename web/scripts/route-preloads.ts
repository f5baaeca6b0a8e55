// Route preloads: the first page's code and data download beside the app's entry, not after it.
//
// Without them a page load is: index.html → the entry chunk → run it → the router asks for the
// page's lazy module and the page for its data → run that. The build therefore writes into
// index.html, just before public/boot.js, a JSON table (`<script type="application/json"
// id="resee-routes">`, data only: the Content-Security-Policy does not apply) of every route
// pattern of src/routes.tsx with
// - the files its page needs beyond the entry: its chunk, the chunks that one imports, their CSS;
// - the API GETs boot.js makes once its early refresh has a token (src/bootGets.ts).
// boot.js finds the pattern of the address being opened, adds `<link rel="modulepreload">`
// (JavaScript) and `<link rel="preload" as="style">` (CSS) for its files and makes its calls.
import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';

/** [route pattern as in src/routes.tsx (e.g. 'contents/:id', '' for the index), page module] */
export type RouteTable = Array<[pattern: string, page: string]>;
/** [route pattern, absolute paths of the files to preload, API GETs to make with a session] */
export type PreloadTable = Array<[pattern: string, files: string[], gets: string[]]>;

/** The API GETs of a page load with a session: on every route, and per route pattern. */
export interface BootGets {
  always: readonly string[];
  byRoute: Readonly<Record<string, readonly string[]>>;
}

/** The part of a built chunk the table needs (Rolldown's OutputChunk has these). */
export interface ChunkInfo {
  fileName: string;
  isEntry: boolean;
  facadeModuleId: string | null;
  imports: string[];
  css: string[];
}

// routes.tsx declares each page route as (spaces and line breaks free):
//   { path: 'contents/:id', lazy: page(() => import('./pages/contents/ContentDetailPage')) },
//   { index: true, lazy: page(() => import('./pages/landing/LandingPage')) },
const PAGE_ROUTE = /\{\s*(?:path:\s*'([^']*)'|index:\s*true)\s*,\s*lazy:\s*page\(\(\)\s*=>\s*import\('\.\/([^']+)'\)\)/g;
const PAGE_IMPORT = /import\('\.\/pages\//g;

/**
 * The page routes of src/routes.tsx's source. Throws when a page import is not in the form above,
 * so that no route silently loses its preload.
 */
export function routeTable(source: string): RouteTable {
  const table: RouteTable = [...source.matchAll(PAGE_ROUTE)].map((m) => [m[1] ?? '', m[2] ?? '']);
  const imports = source.match(PAGE_IMPORT)?.length ?? 0;
  if (table.length !== imports) {
    throw new Error(`route-preloads: ${imports} page imports in routes.tsx, ${table.length} in the { path, lazy } form`);
  }
  return table;
}

/**
 * Each route's files beyond what the entry already loads, in load order (JavaScript, then CSS),
 * and its API GETs.
 */
export function preloadTable(routes: RouteTable, chunks: ChunkInfo[], gets: BootGets): PreloadTable {
  for (const pattern of Object.keys(gets.byRoute)) {
    if (!routes.some(([p]) => p === pattern)) throw new Error(`route-preloads: calls for an unknown route: ${pattern}`);
  }
  const byFile = new Map(chunks.map((chunk) => [chunk.fileName, chunk]));
  const closure = (fileName: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(fileName)) return seen;
    seen.add(fileName);
    for (const imported of byFile.get(fileName)?.imports ?? []) closure(imported, seen);
    return seen;
  };
  const cssOf = (files: Iterable<string>) => [...files].flatMap((file) => byFile.get(file)?.css ?? []);

  const entry = chunks.find((chunk) => chunk.isEntry);
  if (!entry) throw new Error('route-preloads: the bundle has no entry chunk');
  const loaded = closure(entry.fileName);
  const loadedCss = new Set(cssOf(loaded));

  return routes.map(([pattern, page]) => {
    const chunk = chunks.find((c) => c.facadeModuleId?.endsWith(`/src/${page}.tsx`));
    if (!chunk) throw new Error(`route-preloads: no chunk for ${page}`);
    const scripts = [...closure(chunk.fileName)].filter((file) => !loaded.has(file));
    const styles = [...new Set(cssOf(scripts))].filter((file) => !loadedCss.has(file));
    return [pattern, [...scripts, ...styles].map((file) => `/${file}`), [...gets.always, ...(gets.byRoute[pattern] ?? [])]];
  });
}

const BOOT_SCRIPT = '<script src="/boot.js"></script>';

/** The Vite plugin (build only): writes the table into index.html before boot.js. */
export function routePreloads(routesFile: URL, gets: BootGets): Plugin {
  return {
    name: 'resee-route-preloads',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        if (!ctx.bundle) return html;
        if (!html.includes(BOOT_SCRIPT)) throw new Error(`route-preloads: index.html has no ${BOOT_SCRIPT}`);
        const chunks = Object.values(ctx.bundle).flatMap((output): ChunkInfo[] =>
          output.type === 'chunk'
            ? [
                {
                  fileName: output.fileName,
                  isEntry: output.isEntry,
                  facadeModuleId: output.facadeModuleId,
                  imports: output.imports,
                  css: [...(output.viteMetadata?.importedCss ?? [])],
                },
              ]
            : [],
        );
        const table = preloadTable(routeTable(readFileSync(routesFile, 'utf8')), chunks, gets);
        // `<` escaped: the JSON cannot end the script element early.
        const json = JSON.stringify(table).replace(/</g, '\\u003c');
        return html.replace(
          BOOT_SCRIPT,
          `<script type="application/json" id="resee-routes">${json}</script>\n    ${BOOT_SCRIPT}`,
        );
      },
    },
  };
}
