import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useNavigate } from 'react-router';
import { api } from '../../api/client';
import { applyApiErrors } from '../../api/errors';
import { useAuth } from '../../auth/context';
import { Button } from '../../components/Button';
import { Dialog } from '../../components/Dialog';
import { FormError, TextField } from '../../components/Field';
import { useToast } from '../../components/toast-context';
import { useCommon, useMessages } from '../../i18n/react';
import { messages } from './messages';
import styles from './SettingsPage.module.css';

interface DeleteForm {
  password: string;
  confirmation: string;
}

function DeleteDialog({ onClose }: { onClose: () => void }) {
  const t = useMessages(messages);
  const c = useCommon();
  const toast = useToast();
  const navigate = useNavigate();
  const { logout } = useAuth();
  const formId = useId();
  const {
    register,
    handleSubmit,
    setError,
    watch,
    formState: { errors, isSubmitting },
  } = useForm<DeleteForm>({ defaultValues: { password: '', confirmation: '' } });
  const ready = watch('confirmation') === 'DELETE' && watch('password').length > 0;

  const onSubmit = handleSubmit(async (values) => {
    if (values.confirmation !== 'DELETE' || !values.password) return;
    try {
      await api.delete('/api/accounts/users/me/', { password: values.password, confirmation: 'DELETE' });
    } catch (error) {
      applyApiErrors(error, setError, { fields: ['password', 'confirmation'] });
      return;
    }
    toast.show({ message: t('deleted'), tone: 'success' });
    await logout();
    navigate('/', { replace: true });
  });

  return (
    <Dialog
      open
      role="alertdialog"
      onClose={() => !isSubmitting && onClose()}
      title={t('deleteDialogTitle')}
      description={t('deleteDescription')}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={isSubmitting}>
            {c('cancel')}
          </Button>
          <Button type="submit" form={formId} variant="danger" disabled={!ready} loading={isSubmitting}>
            {t('deleteSubmit')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form" onSubmit={onSubmit} noValidate>
        <FormError message={errors.root?.server?.message} />
        <TextField
          label={t('deletePassword')}
          type="password"
          autoComplete="current-password"
          required
          error={errors.password?.message}
          {...register('password')}
        />
        <TextField
          label={t('deleteConfirmLabel')}
          hint={t('deleteConfirmHint')}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          required
          error={errors.confirmation?.message}
          {...register('confirmation')}
        />
      </form>
    </Dialog>
  );
}

export function DeleteAccountSection() {
  const t = useMessages(messages);
  const [open, setOpen] = useState(false);
  return (
    <section className={`card ${styles.section} ${styles.danger}`} aria-labelledby="settings-delete" id="delete-account">
      <h2 id="settings-delete" className={styles.title}>
        {t('deleteTitle')}
      </h2>
      <p className="muted">{t('deleteDescription')}</p>
      <Button variant="danger" onClick={() => setOpen(true)}>
        {t('deleteOpen')}
      </Button>
      {open && <DeleteDialog onClose={() => setOpen(false)} />}
    </section>
  );
}
