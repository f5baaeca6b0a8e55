import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { applyApiErrors } from '../../api/errors';
import { Button } from '../../components/Button';
import { FormError, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import * as z from 'zod/mini';
import { rules, useSchemaForm, type V } from '../../forms/rules';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';

const makeSchema = (v: V) => z.object({ email: rules.email(v) });

export default function ForgotPasswordPage() {
  const t = useMessages(messages);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useSchemaForm(makeSchema, { defaultValues: { email: '' } });

  const onSubmit = handleSubmit(async ({ email }) => {
    try {
      // Always 200 (no account enumeration).
      await api.post('/api/accounts/password-reset/', { email }, { auth: false });
      setSentTo(email);
    } catch (error) {
      applyApiErrors(error, setError, { fields: ['email'] });
    }
  });

  return (
    <div className="auth-page">
      <PageHeader title={t('forgotTitle')} description={t('forgotDescription')} />
      {sentTo ? (
        <p className="notice notice--success" role="status">
          {t('forgotSent', { email: sentTo })}
        </p>
      ) : (
        <form className="form" onSubmit={onSubmit} noValidate>
          <FormError message={errors.root?.server?.message} />
          <TextField
            label={t('email')}
            type="email"
            autoComplete="email"
            inputMode="email"
            required
            error={errors.email?.message}
            {...register('email')}
          />
          <Button type="submit" block loading={isSubmitting}>
            {t('forgotSubmit')}
          </Button>
        </form>
      )}
      <div className="auth-page__footer">
        <Link to="/login">{t('pendingBackToLogin')}</Link>
      </div>
    </div>
  );
}
