import { useId, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import * as z from 'zod/mini';
import { api } from '../../api/client';
import { applyApiErrors } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { Exam, ExamCreate, Id } from '../../api/types';
import { Button, LinkButton } from '../../components/Button';
import { FormError, TextArea, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import { useToast } from '../../components/toast-context';
import { rules, useSchemaForm, type V } from '../../forms/rules';
import { useCommon, useMessages } from '../../i18n/react';
import { messages } from './messages';
import { NotePicker, PICK_MAX, PICK_MIN } from './NotePicker';
import styles from './ExamNewPage.module.css';

const makeSchema = (v: V) => z.object({ title: rules.maxLength(v, 200), description: rules.maxLength(v, 2000) });
type Mode = 'auto' | 'pick';

export default function ExamNewPage() {
  const t = useMessages(messages);
  const tc = useCommon();
  const toast = useToast();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>('auto');
  const [picked, setPicked] = useState<Id[]>([]);
  const [pickError, setPickError] = useState<string | null>(null);
  const pickerRef = useRef<HTMLDivElement>(null);
  const hintId = useId();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useSchemaForm(makeSchema, { defaultValues: { title: '', description: '' } });

  const onSubmit = handleSubmit(async (values) => {
    if (mode === 'pick' && (picked.length < PICK_MIN || picked.length > PICK_MAX)) {
      setPickError(t('pickCountError', { count: picked.length }));
      pickerRef.current?.querySelector<HTMLElement>('input[type="checkbox"]:not(:disabled)')?.focus();
      return;
    }
    setPickError(null);
    const body: ExamCreate = { content_ids: mode === 'pick' ? picked : [] };
    const title = values.title.trim();
    if (title) body.title = title;
    if (values.description.trim()) body.description = values.description.trim();
    try {
      await api.post<Exam>('/api/exams/', body);
    } catch (error) {
      applyApiErrors(error, setError, { fields: ['title', 'description'] });
      return;
    }
    await queryClient.invalidateQueries({ queryKey: qk.exams.all });
    toast.show({ message: t('created'), tone: 'success' });
    navigate('/exams');
  });

  return (
    <>
      <PageHeader title={t('newTitle')} description={t('newDescription')} />
      <form className={`form ${styles.form}`} onSubmit={onSubmit} noValidate>
        <TextField
          label={t('titleLabel')}
          hint={t('titleHint')}
          maxLength={200}
          error={errors.title?.message}
          {...register('title')}
        />
        <TextArea
          label={t('descriptionLabel')}
          rows={3}
          className={styles.description}
          error={errors.description?.message}
          {...register('description')}
        />
        <fieldset className={styles.modes}>
          <legend className="field__label">{t('modeLegend')}</legend>
          {(['auto', 'pick'] as const).map((m) => (
            <label key={m} className={styles.mode} data-checked={mode === m}>
              <input
                type="radio"
                name="mode"
                value={m}
                checked={mode === m}
                onChange={() => {
                  setMode(m);
                  setPickError(null);
                }}
                aria-labelledby={`${hintId}-${m}-title`}
                aria-describedby={`${hintId}-${m}`}
              />
              <span>
                <span id={`${hintId}-${m}-title`} className={styles.modeTitle}>{m === 'auto' ? t('modeAuto') : t('modePick')}</span>
                <span id={`${hintId}-${m}`} className="field__hint">
                  {m === 'auto' ? t('modeAutoHint') : t('modePickHint')}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
        {mode === 'pick' && (
          <div ref={pickerRef}>
            <NotePicker
              selected={picked}
              onChange={(ids) => {
                setPicked(ids);
                if (pickError && ids.length >= PICK_MIN) setPickError(null);
              }}
              error={pickError}
            />
          </div>
        )}
        <FormError message={errors.root?.server?.message} />
        <div className="row">
          <Button type="submit" loading={isSubmitting}>
            {t('create')}
          </Button>
          <LinkButton to="/exams" variant="ghost">
            {tc('cancel')}
          </LinkButton>
        </div>
      </form>
    </>
  );
}
