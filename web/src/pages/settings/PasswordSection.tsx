import { useNavigate } from 'react-router';
import * as z from 'zod/mini';
import { api } from '../../api/client';
import { applyApiErrors } from '../../api/errors';
import type { PasswordChangeRequest } from '../../api/types';
import { useAuth } from '../../auth/context';
import { Button } from '../../components/Button';
import { FormError, TextField } from '../../components/Field';
import { useToast } from '../../components/toast-context';
import { rules, sameAs, useSchemaForm, type V } from '../../forms/rules';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';
import styles from './SettingsPage.module.css';

const makeSchema = (v: V) =>
  z
    .object({ current_password: rules.present(v), new_password: rules.password(v), new_password_confirm: rules.present(v) })
    .check(sameAs('new_password_confirm', 'new_password', v('vPasswordMismatch')));

export function PasswordSection() {
  const t = useMessages(messages);
  const toast = useToast();
  const navigate = useNavigate();
  const { user, logout } = useAuth();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useSchemaForm(makeSchema, {
    defaultValues: { current_password: '', new_password: '', new_password_confirm: '' },
  });

  const onSubmit = handleSubmit(async (values) => {
    try {
      await api.put<{ message: string; action_required?: string }>('/api/accounts/users/me/password/', values satisfies PasswordChangeRequest);
    } catch (error) {
      applyApiErrors(error, setError, { fields: ['current_password', 'new_password', 'new_password_confirm'] });
      return;
    }
    // Every session of this account is revoked: sign out here too and sign in again.
    toast.show({ message: t('passwordChanged'), tone: 'success', duration: 10_000 });
    await logout();
    navigate('/login', { replace: true });
  });

  return (
    <section className={`card ${styles.section}`} aria-labelledby="settings-password" id="password">
      <h2 id="settings-password" className={styles.title}>
        {t('passwordTitle')}
      </h2>
      <p className="muted">{t('passwordDescription')}</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError message={errors.root?.server?.message} />
        <input type="email" name="email" value={user?.email ?? ''} autoComplete="username" readOnly hidden />
        <TextField
          label={t('currentPassword')}
          type="password"
          autoComplete="current-password"
          required
          error={errors.current_password?.message}
          {...register('current_password')}
        />
        <TextField
          label={t('newPassword')}
          hint={t('newPasswordHint')}
          type="password"
          autoComplete="new-password"
          required
          error={errors.new_password?.message}
          {...register('new_password')}
        />
        <TextField
          label={t('newPasswordConfirm')}
          type="password"
          autoComplete="new-password"
          required
          error={errors.new_password_confirm?.message}
          {...register('new_password_confirm')}
        />
        <div className="row">
          <Button type="submit" loading={isSubmitting}>
            {t('changePassword')}
          </Button>
        </div>
      </form>
    </section>
  );
}
