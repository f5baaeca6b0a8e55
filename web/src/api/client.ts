// The only way the SPA talks to the Resee API (same origin, under /api/).
//
// - The access token lives in this module's memory only (never in storage). The refresh token is
//   an HttpOnly cookie the browser sends to /api/auth/token/refresh/.
// - A 401 on an authenticated call refreshes once and retries once. At most one refresh request
//   is in flight: concurrent 401s share the same promise.
// - Every request carries `Accept-Language` (ko|en) from the i18n store.
// - A failed call throws `ApiError` (status 0 = network failure).
import { getLang } from '../i18n/core';

export type QueryValue = string | number | boolean | null | undefined;
export type QueryParams = Record<string, QueryValue | readonly QueryValue[]>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** JSON-serialised; omit for no body */
  body?: unknown;
  /** appended as ?key=value (null/undefined skipped, arrays repeated) */
  query?: QueryParams;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * true (default): send the bearer token, and on 401 refresh once and retry once.
   * false: a public endpoint (login, register, password reset…): no token, no refresh.
   */
  auth?: boolean;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status; 0 when the network failed (offline, DNS, server down) */
  readonly status: number;
  /** the parsed JSON body (or text, or null) */
  readonly body: unknown;
  /** seconds from a `Retry-After` header (429), else null */
  readonly retryAfter: number | null;
  readonly path: string;

  constructor(status: number, body: unknown, retryAfter: number | null = null, path = '') {
    super(`API ${status || 'network error'} on ${path}`);
    this.status = status;
    this.body = body;
    this.retryAfter = retryAfter;
    this.path = path;
  }

  get isNetworkError(): boolean {
    return this.status === 0;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

// ---- the access token (memory only)

let accessToken: string | null = null;

export function getAccessToken(): string | null {
  return accessToken;
}

export function setAccessToken(token: string | null): void {
  accessToken = token;
}

// ---- session-expired notifications (the AuthProvider listens and signs the user out)

const expiredListeners = new Set<() => void>();

export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

// ---- low level

function buildUrl(path: string, query?: QueryParams): string {
  if (!path.startsWith('/api/')) throw new Error(`API paths start with /api/: ${path}`);
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values as QueryValue[]) {
      if (v === null || v === undefined) continue;
      search.append(key, String(v));
    }
  }
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** A body as JSON, or the text when it is not JSON, or null when empty. */
function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function readBody(res: Response): Promise<unknown> {
  if (res.status === 204 || res.status === 205) return null;
  return parseBody(await res.text());
}

async function send(url: string, options: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': getLang(),
    ...options.headers,
  };
  const init: RequestInit = {
    method: options.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    signal: options.signal,
  };
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  if (token) headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(url, init);
  } catch (error) {
    // Cancellation (TanStack Query aborts stale requests) is not a network failure.
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, null, null, url);
  }
}

/** An answer of the API: its status, parsed body and Retry-After header. */
interface Answer {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

async function readAnswer(res: Response): Promise<Answer> {
  return { status: res.status, body: await readBody(res), retryAfter: res.headers.get('Retry-After') };
}

const isSuccess = (status: number) => status >= 200 && status < 300;

async function toResult<T>(res: Response, url: string): Promise<T> {
  return answerOf<T>(await readAnswer(res), url);
}

/** The body of a 2xx answer; otherwise throws its ApiError. */
function answerOf<T>({ status, body, retryAfter }: Answer, url: string): T {
  if (!isSuccess(status)) throw new ApiError(status, body, parseRetryAfter(retryAfter), url);
  return body as T;
}

// ---- refresh (single flight)

/** An answer to a request public/boot.js sends, read to the end. */
interface BootAnswer {
  status: number;
  retryAfter: string | null;
  text: string;
}

declare global {
  interface Window {
    /** The page load's first refresh request, started by public/boot.js before this code loaded. */
    __reseeBootRefresh?: Promise<BootAnswer>;
    /** GETs boot.js made with that refresh's token, by URL (null: no session, nothing asked). */
    __reseeBootGets?: Record<string, Promise<BootAnswer | null>>;
  }
}

/** The token of boot.js's refresh, once the client has taken it: its GETs were made with it. */
let bootToken: string | null = null;

/**
 * The refresh answer public/boot.js asked for while the app's code downloaded, the first time only
 * (a later refresh sends its own request); null when there is none. Already read: no wait for
 * another task, so the page's first calls can start in the same task as the app's code runs.
 */
async function takeBootRefresh(url: string): Promise<Answer | null> {
  const started = window.__reseeBootRefresh;
  if (!started) return null;
  delete window.__reseeBootRefresh;
  let answer: BootAnswer;
  try {
    answer = await started;
  } catch {
    throw new ApiError(0, null, null, url);
  }
  return parseBootAnswer(answer);
}

function parseBootAnswer({ status, text, retryAfter }: BootAnswer): Answer {
  return { status, body: parseBody(text), retryAfter };
}

/**
 * boot.js's answer to `GET url`, once: null when it made no such call, when it failed or was a 401
 * (the caller then sends its own request, with the usual refresh), or when the token has changed.
 */
async function takeBootGet(url: string): Promise<Answer | null> {
  const started = window.__reseeBootGets?.[url];
  if (!started) return null;
  delete window.__reseeBootGets?.[url];
  const answer = await started.catch(() => null);
  if (!answer || answer.status === 401 || !bootToken || bootToken !== accessToken) return null;
  return parseBootAnswer(answer);
}

/**
 * Drops boot.js's answers nobody has taken (session.ts, when the session restore is over): they
 * are for the page load's first calls only, never for a later visit to the same address.
 */
export function discardBootGets(): void {
  delete window.__reseeBootGets;
}

let refreshInFlight: Promise<string | null> | null = null;

/**
 * Exchange the refresh cookie for a new access token. Resolves to the token, or null when there is
 * no valid session (401/400/403). Throws ApiError for network or server failures. Concurrent callers
 * share one request.
 */
export function refreshAccessToken(): Promise<string | null> {
  if (!refreshInFlight) {
    refreshInFlight = (async () => {
      try {
        const url = '/api/auth/token/refresh/';
        const early = await takeBootRefresh(url);
        const { status, body, retryAfter } = early ?? (await readAnswer(await send(url, { method: 'POST' }, null)));
        if (isSuccess(status)) {
          const access = (body as { access?: unknown } | null)?.access;
          accessToken = typeof access === 'string' ? access : null;
          if (early) bootToken = accessToken;
          return accessToken;
        }
        if (status === 401 || status === 400 || status === 403) {
          accessToken = null;
          return null;
        }
        return answerOf<never>({ status, body, retryAfter }, url);
      } finally {
        refreshInFlight = null;
      }
    })();
  }
  return refreshInFlight;
}

// ---- the request function

export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const url = buildUrl(path, options.query);
  const auth = options.auth ?? true;
  // Only while boot.js's answers last (the page load's session restore): no wait on other calls.
  const bootGet = auth && window.__reseeBootGets && (options.method ?? 'GET') === 'GET' && !options.headers;
  const early = bootGet ? await takeBootGet(url) : null;
  if (early) return answerOf<T>(early, url);
  const tokenUsed = auth ? accessToken : null;
  let res = await send(url, options, tokenUsed);

  if (res.status === 401 && auth) {
    // If another call already refreshed while this one was in flight, just use the new token.
    const next = accessToken && accessToken !== tokenUsed ? accessToken : await refreshAccessToken();
    if (next) {
      res = await send(url, options, next);
      if (res.status === 401) for (const l of expiredListeners) l();
    } else {
      for (const l of expiredListeners) l();
    }
  }
  return toResult<T>(res, url);
}

type BodyOptions = Omit<RequestOptions, 'method' | 'body'>;

/** `api.get<User>('/api/accounts/users/me/')`, `api.post<T>(path, body)`, … */
export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) =>
    apiRequest<T>(path, { ...options, method: 'GET' }),
  post: <T>(path: string, body?: unknown, options?: BodyOptions) =>
    apiRequest<T>(path, { ...options, method: 'POST', body }),
  put: <T>(path: string, body?: unknown, options?: BodyOptions) =>
    apiRequest<T>(path, { ...options, method: 'PUT', body }),
  patch: <T>(path: string, body?: unknown, options?: BodyOptions) =>
    apiRequest<T>(path, { ...options, method: 'PATCH', body }),
  delete: <T = null>(path: string, body?: unknown, options?: BodyOptions) =>
    apiRequest<T>(path, { ...options, method: 'DELETE', body }),
};

/** Tests only: forget the token and any refresh in flight. */
export function resetClientForTests(): void {
  accessToken = null;
  refreshInFlight = null;
  expiredListeners.clear();
  delete window.__reseeBootRefresh;
  delete window.__reseeBootGets;
  bootToken = null;
}
