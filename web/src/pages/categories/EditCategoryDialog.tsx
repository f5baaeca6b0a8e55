import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { applyApiErrors } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { Category } from '../../api/types';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { FormError, TextField } from '../../components/Field';
import { useToast } from '../../components/toast-context';
import { useSchemaForm } from '../../forms/rules';
import { useCommon, useMessages } from '../../i18n/react';
import { CATEGORY_FIELDS, makeCategorySchema } from './categoryForm';
import { messages } from './messages';

/** Rename a category or change its description (PATCH). */
export function EditCategoryDialog({ category, onClose }: { category: Category; onClose: () => void }) {
  const t = useMessages(messages);
  const c = useCommon();
  const toast = useToast();
  const queryClient = useQueryClient();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useSchemaForm(
    makeCategorySchema,
    { defaultValues: { name: category.name, description: category.description } },
    messages,
  );

  const onSubmit = handleSubmit(async (values) => {
    try {
      await api.patch<Category>(`/api/categories/${category.id}/`, values);
      void queryClient.invalidateQueries({ queryKey: qk.categories.all });
      // notes show their category's name
      void queryClient.invalidateQueries({ queryKey: qk.contents.all });
      toast.show({ message: t('saved'), tone: 'success' });
      onClose();
    } catch (error) {
      applyApiErrors(error, setError, { fields: CATEGORY_FIELDS });
    }
  });

  const formId = `edit-category-${category.id}`;
  return (
    <Dialog
      open
      onClose={onClose}
      title={t('editTitle')}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {c('cancel')}
          </Button>
          <Button type="submit" form={formId} loading={isSubmitting}>
            {t('save')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={onSubmit} noValidate>
        <FormError message={errors.root?.server?.message} />
        <TextField label={t('name')} error={errors.name?.message} autoComplete="off" {...register('name')} />
        <TextField
          label={t('description')}
          hint={t('descriptionHint')}
          error={errors.description?.message}
          autoComplete="off"
          {...register('description')}
        />
      </form>
    </Dialog>
  );
}
