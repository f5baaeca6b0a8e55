import { useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, isApiError } from '../../api/client';
import { applyApiErrors } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { CategoriesResponse, Category } from '../../api/types';
import { Button } from '../../components/Button';
import { FormError, TextField } from '../../components/Field';
import { useToast } from '../../components/toast-context';
import { useSchemaForm } from '../../forms/rules';
import { useMessages } from '../../i18n/react';
import { CATEGORY_FIELDS, makeCategorySchema } from './categoryForm';
import { messages } from './messages';
import styles from './CategoriesPage.module.css';

/** The "new category" form: 400 (duplicate, no letter) on the fields, 402 with a link to the plans. */
export function CreateCategory({ disabled }: { disabled: boolean }) {
  const t = useMessages(messages);
  const toast = useToast();
  const queryClient = useQueryClient();
  const [limited, setLimited] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    setFocus,
    formState: { errors, isSubmitting },
  } = useSchemaForm(makeCategorySchema, { defaultValues: { name: '', description: '' } }, messages);

  const onSubmit = handleSubmit(async (values) => {
    setLimited(false);
    try {
      const created = await api.post<Category>('/api/categories/', values);
      queryClient.setQueryData<CategoriesResponse>(qk.categories.list(), (old) =>
        old ? { ...old, results: [...old.results, created], count: old.count + 1 } : old,
      );
      void queryClient.invalidateQueries({ queryKey: qk.categories.all });
      toast.show({ message: t('created', { name: created.name }), tone: 'success' });
      reset();
      setFocus('name');
    } catch (error) {
      if (isApiError(error) && error.status === 402) setLimited(true);
      applyApiErrors(error, setError, { fields: CATEGORY_FIELDS });
    }
  });

  return (
    <form className={`form ${styles.create}`} onSubmit={onSubmit} noValidate aria-labelledby="create-category">
      <h2 id="create-category" className={styles.sectionTitle}>
        {t('createHeading')}
      </h2>
      <FormError message={errors.root?.server?.message} />
      {limited && (
        <p className={styles.limitLink}>
          <Link to="/subscription">{t('upgrade')}</Link>
        </p>
      )}
      <div className={styles.createFields}>
        <TextField
          label={t('name')}
          hint={t('nameHint')}
          error={errors.name?.message}
          disabled={disabled}
          autoComplete="off"
          {...register('name')}
        />
        <TextField
          label={t('description')}
          hint={t('descriptionHint')}
          error={errors.description?.message}
          disabled={disabled}
          autoComplete="off"
          {...register('description')}
        />
      </div>
      <Button type="submit" loading={isSubmitting} disabled={disabled} className={styles.createButton}>
        {t('create')}
      </Button>
    </form>
  );
}
