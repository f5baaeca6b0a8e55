// The GET calls public/boot.js makes on a page load as soon as its early session refresh has a
// token, while the app's code still downloads. The API client answers the app's first identical
// calls from them (api/client.ts, takeBootGet). No imports of app code beyond plain constants:
// vite.config.ts reads this module at build time and scripts/route-preloads.ts writes the URLs
// into index.html's route table.
import { DASHBOARD_PATHS } from './pages/dashboard/dashboardPaths';

/** The signed-in user: the session restore asks for it on every page load. */
export const ME_PATH = '/api/accounts/users/me/';

/** Asked for on every page load with a session. */
export const BOOT_GETS_ALWAYS: readonly string[] = [ME_PATH];

/**
 * Route pattern of routes.tsx → the calls its page makes before the session restore finishes
 * (main.tsx's prefetch); only those can use an early answer, the others are thrown away then.
 */
export const BOOT_GETS_BY_ROUTE: Readonly<Record<string, readonly string[]>> = {
  dashboard: Object.values(DASHBOARD_PATHS),
};
