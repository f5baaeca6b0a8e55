import { useMemo, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { api, isApiError } from '../../api/client';
import { applyApiErrors } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { Content } from '../../api/types';
import { Button, LinkButton } from '../../components/Button';
import { FormError, TextField } from '../../components/Field';
import { useToast } from '../../components/toast-context';
import { LIMITS, useSchemaForm } from '../../forms/rules';
import { useFormat, useMessages } from '../../i18n/react';
import { charCount } from '../../lib/text';
import { CategoryPicker } from './CategoryPicker';
import { EditorBody } from './EditorBody';
import { FORM_FIELDS, formFromContent, makeEditorSchema, type EditorForm } from './editorForm';
import { editorMessages } from './editorMessages';
import { ReviewModeField } from './ReviewModeField';
import { useDraftAutosave } from './useDraftAutosave';
import { asValidationResult, ValidationPanel } from './ValidationPanel';
import styles from './ContentEditor.module.css';

interface Props {
  /** the note being edited; absent for a new note */
  initial?: Content;
  /** a new note's category (e.g. from ?category=) */
  defaultCategory?: number | null;
}

/** The note form shared by /contents/new and /contents/:id/edit. */
export function ContentEditor({ initial, defaultCategory = null }: Props) {
  const t = useMessages(editorMessages);
  const f = useFormat();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const defaults = useMemo(() => formFromContent(initial, defaultCategory), [initial, defaultCategory]);
  const [planLimited, setPlanLimited] = useState(false);

  const {
    register,
    handleSubmit,
    setError,
    reset,
    watch,
    setValue,
    formState: { errors, isSubmitting },
  } = useSchemaForm(makeEditorSchema, { defaultValues: defaults }, editorMessages);

  // watch() rather than useWatch/Controller: those would add react-hook-form code to the chunk /login loads
  const [title, content, category, reviewMode] = watch(['title', 'content', 'category', 'review_mode']);
  const values = useMemo<EditorForm>(
    () => ({ title, content, category, review_mode: reviewMode }),
    [title, content, category, reviewMode],
  );
  const draftKey = initial?.id ?? 'new';
  const draft = useDraftAutosave(draftKey, values, defaults);
  const dirty = title !== defaults.title || content !== defaults.content;
  const bodyChars = charCount(content);
  const titleChars = charCount(title);

  const onSubmit = handleSubmit(async (form) => {
    setPlanLimited(false);
    try {
      const saved = initial
        ? await api.put<Content>(`/api/contents/${initial.id}/`, form)
        : await api.post<Content>('/api/contents/', form);
      draft.stop();
      queryClient.setQueryData(qk.contents.detail(saved.id), saved);
      void queryClient.invalidateQueries({ queryKey: qk.contents.all });
      void queryClient.invalidateQueries({ queryKey: qk.review.all });
      toast.show({ message: t('saved'), tone: 'success' });
      navigate(`/contents/${saved.id}`);
    } catch (error) {
      if (isApiError(error) && error.status === 402) setPlanLimited(true);
      applyApiErrors(error, setError, { fields: FORM_FIELDS });
    }
  });

  return (
    <form className={`form ${styles.editor}`} onSubmit={onSubmit} noValidate aria-label={t('formLabel')}>
      {draft.pending && (
        <div className={`notice ${styles.draft}`} role="status">
          <span>{t('draftFound', { time: f.dateTime(draft.pending.savedAt) })}</span>
          <span className={styles.draftActions}>
            <Button
              size="sm"
              onClick={() => {
                const d = draft.pending;
                if (d) reset({ title: d.title, content: d.content, category: d.category, review_mode: d.review_mode }, { keepDefaultValues: true });
                draft.restored();
              }}
            >
              {t('draftRestore')}
            </Button>
            <Button size="sm" variant="ghost" onClick={draft.discard}>
              {t('draftDiscard')}
            </Button>
          </span>
        </div>
      )}
      <FormError message={errors.root?.server?.message} />
      {planLimited && (
        <p className="notice">
          {t('planLimit')} <Link to="/subscription">{t('planLimitLink')}</Link>
        </p>
      )}
      <TextField
        label={t('title')}
        hint={
          <span className={titleChars > LIMITS.titleMax ? styles.counterOver : undefined}>
            {t('titleCounter', { count: titleChars, max: LIMITS.titleMax })}
          </span>
        }
        error={errors.title?.message}
        autoComplete="off"
        {...register('title')}
      />
      <EditorBody value={content} registration={register('content')} error={errors.content?.message} />
      <div className={styles.options}>
        <CategoryPicker
          value={category}
          onChange={(id) => setValue('category', id, { shouldDirty: true, shouldValidate: !!errors.category })}
          error={errors.category?.message}
        />
        <ReviewModeField
          value={reviewMode}
          bodyChars={bodyChars}
          registration={register('review_mode')}
          error={errors.review_mode?.message}
        />
      </div>
      <ValidationPanel
        contentId={initial?.id}
        dirty={dirty}
        title={title}
        content={content}
        bodyChars={bodyChars}
        stored={initial?.is_ai_validated ? asValidationResult(initial.ai_validation_result) : null}
      />
      <div className={styles.actions}>
        <p className="field__hint">{t('draftSaved')}</p>
        <div className={styles.actionButtons}>
          {initial && (
            <LinkButton to={`/contents/${initial.id}`} variant="ghost">
              {t('backToNote')}
            </LinkButton>
          )}
          <Button type="submit" loading={isSubmitting}>
            {t('save')}
          </Button>
        </div>
      </div>
    </form>
  );
}
