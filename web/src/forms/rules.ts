// Form validation that mirrors the API's own rules (shared/spec/api.md), with messages in the
// current language. Server-side field errors land on the same field names via applyApiErrors().
//
//   const makeSchema = (v: V) => z.object({ email: rules.email(v), password: rules.password(v) });
//   const schema = useSchema(makeSchema);            // module-level factory, memoised per language
//   useForm({ resolver: zodResolver(schema), ... })
import { useMemo } from 'react';
import * as z from 'zod/mini';
import type { CommonKey } from '../i18n/common';
import type { Translate } from '../i18n/core';
import { useCommon } from '../i18n/react';

/** The common-message translator the rules take their messages from. */
export type V = Translate<CommonKey>;

/** The API's limits, in one place. */
export const LIMITS = {
  passwordMin: 8,
  titleMin: 1,
  titleMax: 30,
  contentMax: 50_000,
  /** AI review modes need this much body */
  aiContentMin: 200,
  weeklyGoalMin: 1,
  weeklyGoalMax: 100,
} as const;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const rules = {
  /** any non-empty string, not trimmed (e.g. the password on the login form) */
  present: (v: V) => z.string().check(z.minLength(1, v('vRequired'))),

  /** any non-empty string (trimmed) */
  required: (v: V) => z.string().check(z.trim(), z.minLength(1, v('vRequired'))),

  email: (v: V) =>
    z.string().check(z.trim(), z.minLength(1, v('vRequired')), z.regex(EMAIL, v('vEmail'))),

  /** a new password: ≥ 8 characters, not all digits (the API also rejects common / email-like ones) */
  password: (v: V) =>
    z
      .string()
      .check(
        z.minLength(1, v('vRequired')),
        z.minLength(LIMITS.passwordMin, v('vPasswordMin')),
        z.refine((s: string) => !/^\d+$/.test(s), v('vPasswordNumeric')),
      ),

  /** a note's title: 1–30 characters */
  title: (v: V) =>
    z.string().check(
      z.trim(),
      z.minLength(LIMITS.titleMin, v('vTitleLength')),
      z.maxLength(LIMITS.titleMax, v('vTitleLength')),
    ),

  /** a note's Markdown body: at most 50 000 characters */
  content: (v: V) => z.string().check(z.maxLength(LIMITS.contentMax, v('vContentMax'))),

  /** register the input with { valueAsNumber: true } */
  weeklyGoal: (v: V) =>
    z.number({ error: v('vWeeklyGoal') }).check(
      z.refine((n: number) => Number.isInteger(n), v('vWeeklyGoal')),
      z.gte(LIMITS.weeklyGoalMin, v('vWeeklyGoal')),
      z.lte(LIMITS.weeklyGoalMax, v('vWeeklyGoal')),
    ),

  maxLength: (v: V, max: number) => z.string().check(z.maxLength(max, v('vMaxLength', { max }))),
};

/** An object-level check: `field` must equal `other` (e.g. password_confirm), error on `field`. */
export function sameAs<T extends Record<string, unknown>>(field: keyof T & string, other: keyof T & string, message: string) {
  return z.refine<T>((data) => data[field] === data[other], { error: message, path: [field] });
}

/** Build a schema from a module-level factory, once per language. */
export function useSchema<S>(factory: (v: V) => S): S {
  const v = useCommon();
  return useMemo(() => factory(v), [factory, v]);
}


