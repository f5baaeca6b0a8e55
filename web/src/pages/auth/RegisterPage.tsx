import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../api/client';
import { applyApiErrors } from '../../api/errors';
import type { RegisterRequest, RegisterResponse } from '../../api/types';
import { useAuth } from '../../auth/context';
import { safeNext } from '../../auth/session';
import { Button } from '../../components/Button';
import { FormError, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import * as z from 'zod/mini';
import { rules, sameAs, useSchemaForm, type V } from '../../forms/rules';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';

const makeSchema = (v: V) =>
  z
    .object({ email: rules.email(v), password: rules.password(v), password_confirm: rules.present(v) })
    .check(sameAs('password_confirm', 'password', v('vPasswordMismatch')));

const FIELDS = ['email', 'password', 'password_confirm'] as const;

export default function RegisterPage() {
  const t = useMessages(messages);
  const { login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useSchemaForm(makeSchema, { defaultValues: { email: '', password: '', password_confirm: '' } });

  const onSubmit = handleSubmit(async (values) => {
    let response: RegisterResponse;
    try {
      response = await api.post<RegisterResponse>('/api/accounts/users/register/', values satisfies RegisterRequest, {
        auth: false,
      });
    } catch (error) {
      applyApiErrors(error, setError, { fields: FIELDS });
      return;
    }
    if (response.data.requires_email_verification) {
      navigate(`/verify-pending?email=${encodeURIComponent(values.email)}`, { replace: true });
      return;
    }
    // Verification is off on this server: the account is ready, sign straight in.
    try {
      await login(values.email, values.password);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch {
      navigate('/login', { replace: true });
    }
  });

  return (
    <div className="auth-page">
      <PageHeader title={t('registerTitle')} description={t('registerDescription')} />
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
        <TextField
          label={t('password')}
          type="password"
          autoComplete="new-password"
          required
          hint={t('passwordHint')}
          error={errors.password?.message}
          {...register('password')}
        />
        <TextField
          label={t('passwordConfirm')}
          type="password"
          autoComplete="new-password"
          required
          error={errors.password_confirm?.message}
          {...register('password_confirm')}
        />
        <Button type="submit" block loading={isSubmitting}>
          {t('registerSubmit')}
        </Button>
      </form>
      <div className="auth-page__footer">
        <span>
          {t('registerHaveAccount')} <Link to="/login">{t('registerLoginLink')}</Link>
        </span>
      </div>
    </div>
  );
}
