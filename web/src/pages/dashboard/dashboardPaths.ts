// The dashboard's five calls, as the URLs the API client sends. No imports: public/boot.js makes
// these calls early on a page load that opens the dashboard (src/bootGets.ts, read by the build).

export const ACTIVITY_DAYS = 365;
export const FORECAST_DAYS = 30;
/** The contents list is asked for one item only: the dashboard wants its `usage`. */
export const USAGE_PARAMS = { page_size: 1 } as const;

export const DASHBOARD_PATHS = {
  dashboard: '/api/review/dashboard/',
  activity: `/api/review/activity/?days=${ACTIVITY_DAYS}`,
  forecast: `/api/review/forecast/?days=${FORECAST_DAYS}`,
  contents: `/api/contents/?page_size=${USAGE_PARAMS.page_size}`,
  categories: '/api/categories/',
} as const;
