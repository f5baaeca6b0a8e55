import * as z from 'zod/mini';
import type { Translate } from '../../i18n/core';
import { rules, type V } from '../../forms/rules';
import type { messages } from './messages';

export const CATEGORY_FIELDS = ['name', 'description'] as const;

/** Mirrors the API: name 1–100 characters with a letter or digit; description ≤ 500. */
export const makeCategorySchema = (v: V, t: Translate<keyof typeof messages.ko>) =>
  z.object({
    name: rules.required(v).check(
      z.maxLength(100, v('vMaxLength', { max: 100 })),
      z.refine((s: string) => /[\p{L}\p{N}]/u.test(s), t('nameLetter')),
    ),
    description: rules.maxLength(v, 500),
  });

export type CategoryForm = z.infer<ReturnType<typeof makeCategorySchema>>;
