// Form validation that mirrors the API's own rules (docs/API.md), with messages in the
// current language. Server-side field errors land on the same field names via applyApiErrors().
//
//   const makeSchema = (v: V) => z.object({ email: rules.email(v), password: rules.password(v) });
//   const { register, handleSubmit } = useSchemaForm(makeSchema, { defaultValues: { email: '', password: '' } });
//
// The factory lives at module level and is run once per language; useSchemaForm is useForm with
// `resolver: zodResolver(schema)`, the form's types coming from the schema. A factory that also needs a
// feature's messages takes them second, and the catalog goes last:
//   const makeSchema = (v: V, t: Translate<keyof typeof messages.ko>) => z.object({ ... t('nameLetter') ... });
//   useSchemaForm(makeSchema, { defaultValues: { ... } }, messages);
// useSchema(factory[, messages]) gives the schema alone.
import { useMemo } from 'react';
import { useForm, type FieldValues, type UseFormProps, type UseFormReturn } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import * as z from 'zod/mini';
import { common, type CommonKey } from '../i18n/common';
import type { Catalog, Translate } from '../i18n/core';
import { useCommon, useMessages } from '../i18n/react';

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

/**
 * Build a schema from a module-level factory, once per language. With a catalog, the factory also
 * gets that catalog's translator (e.g. a feature's own validation messages).
 */
export function useSchema<S>(factory: (v: V) => S): S;
export function useSchema<S, K extends string>(factory: (v: V, t: Translate<K>) => S, messages: Catalog<K>): S;
export function useSchema<S>(factory: (v: V, t: Translate<string>) => S, messages?: Catalog<string>): S {
  const v = useCommon();
  const t = useMessages<string>(messages ?? common);
  return useMemo(() => factory(v, t), [factory, v, t]);
}

/** A zod schema whose input is the form's values and whose output is what handleSubmit gets. */
export type FormSchema<TFieldValues extends FieldValues, TTransformedValues = TFieldValues> = z.core.$ZodType<
  TTransformedValues,
  TFieldValues
>;

/** useForm's options but the resolver, which useSchemaForm makes from the schema. */
export type SchemaFormOptions<TFieldValues extends FieldValues, TTransformedValues = TFieldValues> = Omit<
  UseFormProps<TFieldValues, unknown, TTransformedValues>,
  'resolver'
>;

/**
 * `useForm({ resolver: zodResolver(useSchema(factory)), ...options })`: a form validated by the schema
 * a module-level factory builds (once per language), typed by that schema. Pass `messages` when the
 * factory takes a second translator, as with useSchema.
 */
export function useSchemaForm<TFieldValues extends FieldValues, TTransformedValues = TFieldValues>(
  factory: (v: V) => FormSchema<TFieldValues, TTransformedValues>,
  options?: SchemaFormOptions<TFieldValues, TTransformedValues>,
): UseFormReturn<TFieldValues, unknown, TTransformedValues>;
export function useSchemaForm<TFieldValues extends FieldValues, TTransformedValues, K extends string>(
  factory: (v: V, t: Translate<K>) => FormSchema<TFieldValues, TTransformedValues>,
  options: SchemaFormOptions<TFieldValues, TTransformedValues> | undefined,
  messages: Catalog<K>,
): UseFormReturn<TFieldValues, unknown, TTransformedValues>;
export function useSchemaForm<TFieldValues extends FieldValues, TTransformedValues>(
  factory: (v: V, t: Translate<string>) => FormSchema<TFieldValues, TTransformedValues>,
  options?: SchemaFormOptions<TFieldValues, TTransformedValues>,
  messages?: Catalog<string>,
): UseFormReturn<TFieldValues, unknown, TTransformedValues> {
  const schema = useSchema<FormSchema<TFieldValues, TTransformedValues>, string>(factory, messages ?? common);
  return useForm<TFieldValues, unknown, TTransformedValues>({ ...options, resolver: zodResolver(schema) });
}


