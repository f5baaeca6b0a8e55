// Turning the API's error bodies into something forms and pages can show.
//
// The API answers errors in these shapes (see docs/API.md, "Conventions"):
//   400 field validation   {"<field>": ["msg"], "non_field_errors": ["msg"]}
//   400 registration/profile {"error": {"code": "VALIDATION_ERROR", "message": "...", "details": {"<field>": ["msg"]}}}
//   400/404/409 refused     {"error": "msg"}
//   404/403/429/405         {"detail": "msg"}   (429 also sends Retry-After)
//   401 bad token           {"detail": "msg", "code": "token_not_valid", "messages": [{...}]}
//   402 plan limit          {"error": "msg", "usage": {...}, "message": "upgrade hint"}
//   500                     {"error": "Internal server error", "message": "..."}
import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { tCommon } from '../i18n/common';
import { ApiError, isApiError } from './client';
import type { Usage } from './types';

export interface ParsedApiError {
  /** field name → messages */
  fields: Record<string, string[]>;
  /** messages not tied to a field (non_field_errors, error, detail, message) */
  general: string[];
  /** `error.code` when the body has one (e.g. VALIDATION_ERROR), or `code` (token_not_valid) */
  code: string | null;
  /** 402 bodies carry the plan usage */
  usage: Usage | null;
}

/** Keys that never name a form field. */
const META_KEYS = new Set(['non_field_errors', 'detail', 'error', 'message', 'messages', 'code', 'usage', 'success']);

function messages(value: unknown): string[] {
  if (typeof value === 'string') return value ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(messages);
  if (value && typeof value === 'object') return Object.values(value).flatMap(messages);
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseApiErrorBody(body: unknown): ParsedApiError {
  const out: ParsedApiError = { fields: {}, general: [], code: null, usage: null };
  if (typeof body === 'string') {
    // Non-JSON bodies (a proxy's HTML page) are not shown to people.
    return out;
  }
  if (!isRecord(body)) return out;

  const { error } = body;
  if (isRecord(error)) {
    // {"error": {"code", "message", "details": {...}}}
    if (typeof error.code === 'string') out.code = error.code;
    const details = error.details;
    if (isRecord(details)) {
      for (const [key, value] of Object.entries(details)) {
        const msgs = messages(value);
        if (msgs.length === 0) continue;
        if (key === 'non_field_errors') out.general.push(...msgs);
        else out.fields[key] = msgs;
      }
    }
    if (typeof error.message === 'string' && Object.keys(out.fields).length === 0 && out.general.length === 0) {
      out.general.push(error.message);
    }
  } else {
    out.general.push(...messages(error));
  }
  out.general.push(...messages(body.non_field_errors), ...messages(body.detail), ...messages(body.message));
  if (typeof body.code === 'string' && !out.code) out.code = body.code;
  if (isRecord(body.usage)) out.usage = body.usage as unknown as Usage;

  for (const [key, value] of Object.entries(body)) {
    if (META_KEYS.has(key)) continue;
    const msgs = messages(value);
    if (msgs.length > 0) out.fields[key] = msgs;
  }
  return out;
}

/** The retry wait of a 429, in seconds (Retry-After header), or null. */
export function retryAfterSeconds(error: unknown): number | null {
  return isApiError(error) && error.status === 429 ? error.retryAfter : null;
}

/**
 * One human-readable sentence for any error (for toasts, ErrorState, a form's root error).
 * Uses the API's own message when it has one (already in the user's language), else a common message.
 */
export function errorMessage(error: unknown): string {
  if (!isApiError(error)) return tCommon('errorGeneric');
  if (error.isNetworkError) return tCommon('errorNetwork');
  if (error.status === 429) {
    return error.retryAfter !== null
      ? tCommon('errorThrottled', { seconds: error.retryAfter })
      : (parseApiErrorBody(error.body).general[0] ?? tCommon('errorThrottledNoWait'));
  }
  if (error.status >= 500) return tCommon('errorServer');
  const parsed = parseApiErrorBody(error.body);
  const first = parsed.general.length > 0 ? parsed.general.join(' ') : Object.values(parsed.fields)[0]?.[0];
  if (first) return first;
  if (error.status === 404) return tCommon('errorNotFound');
  if (error.status === 403) return tCommon('errorForbidden');
  if (error.status === 401) return tCommon('errorSessionExpired');
  return tCommon('errorGeneric');
}

export interface ApplyApiErrorsOptions<T extends FieldValues> {
  /**
   * The form's field names. API field errors for other keys go to the root error instead of
   * vanishing on a field that is not rendered. Omit to map every key onto a field.
   */
  fields?: readonly Path<T>[];
  /** API key → form field, when they differ (e.g. { new_password: 'password' }) */
  rename?: Partial<Record<string, Path<T>>>;
}

/** The key of the form-level error: read it as `formState.errors.root?.server`. */
export const ROOT_ERROR = 'root.server' as const;

/**
 * Put an API error onto a react-hook-form: field errors on their fields, everything else
 * (non_field_errors, error, detail, 402/429/network/500) on `errors.root.server`.
 * Returns true when at least one field error was set.
 */
export function applyApiErrors<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  options: ApplyApiErrorsOptions<T> = {},
): boolean {
  if (!(error instanceof ApiError) || error.isNetworkError || error.status >= 500 || error.status === 429) {
    setError(ROOT_ERROR, { type: 'server', message: errorMessage(error) });
    return false;
  }
  const parsed = parseApiErrorBody(error.body);
  const known = options.fields ? new Set<string>(options.fields) : null;
  const rootMessages = [...parsed.general];
  let anyField = false;
  let first = true;
  for (const [key, msgs] of Object.entries(parsed.fields)) {
    const target = options.rename?.[key] ?? key;
    if (known && !known.has(target)) {
      rootMessages.push(...msgs);
      continue;
    }
    setError(target as Path<T>, { type: 'server', message: msgs.join(' ') }, { shouldFocus: first });
    first = false;
    anyField = true;
  }
  if (rootMessages.length > 0) {
    setError(ROOT_ERROR, { type: 'server', message: rootMessages.join(' ') });
  } else if (!anyField) {
    setError(ROOT_ERROR, { type: 'server', message: errorMessage(error) });
  }
  return anyField;
}
