import * as z from 'zod/mini';
import type { Content, ReviewMode } from '../../api/types';
import type { Translate } from '../../i18n/core';
import { LIMITS, rules, type V } from '../../forms/rules';
import { charCount } from '../../lib/text';
import type { editorMessages } from './editorMessages';

export type EditorKey = keyof typeof editorMessages.ko;
export const REVIEW_MODES = ['objective', 'multiple_choice', 'descriptive'] as const satisfies readonly ReviewMode[];
export const FORM_FIELDS = ['title', 'content', 'category', 'review_mode'] as const;

export interface EditorForm {
  title: string;
  content: string;
  category: number | null;
  review_mode: ReviewMode;
}

/** The AI modes need this many characters of body (the API says so too, with a 400). */
export function aiModesAllowed(content: string): boolean {
  return charCount(content) >= LIMITS.aiContentMin;
}

export function makeEditorSchema(v: V, t: Translate<EditorKey>) {
  return z
    .object({
      title: rules.title(v),
      content: z
        .string()
        .check(
          z.refine((s: string) => s.trim().length > 0, t('bodyRequired')),
          z.maxLength(LIMITS.contentMax, v('vContentMax')),
        ),
      // z.custom rather than z.nullable/z.enum: those would add zod code to the chunk /login loads
      category: z.custom<number | null>((v) => v === null || (typeof v === 'number' && Number.isInteger(v))),
      review_mode: z.custom<ReviewMode>((v) => (REVIEW_MODES as readonly unknown[]).includes(v)),
    })
    .check(
      z.refine((d) => d.review_mode === 'objective' || aiModesAllowed(d.content), {
        error: t('modeNeedsBody', { min: LIMITS.aiContentMin }),
        path: ['review_mode'],
      }),
    );
}

export function formFromContent(content: Content | undefined, category: number | null = null): EditorForm {
  if (!content) return { title: '', content: '', category, review_mode: 'objective' };
  return {
    title: content.title,
    content: content.content,
    category: content.category?.id ?? null,
    review_mode: content.review_mode,
  };
}

export function sameForm(a: EditorForm, b: EditorForm): boolean {
  return a.title === b.title && a.content === b.content && a.category === b.category && a.review_mode === b.review_mode;
}
