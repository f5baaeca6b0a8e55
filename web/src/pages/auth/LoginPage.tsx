import { Link, useNavigate, useSearchParams } from 'react-router';
import { applyApiErrors } from '../../api/errors';
import { useAuth } from '../../auth/context';
import { emailVerificationRequired, safeNext } from '../../auth/session';
import { Button } from '../../components/Button';
import { FormError, TextField } from '../../components/Field';
import { PageHeader } from '../../components/PageHeader';
import * as z from 'zod/mini';
import { rules, useSchemaForm, type V } from '../../forms/rules';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';

const makeSchema = (v: V) => z.object({ email: rules.email(v), password: rules.present(v) });

export default function LoginPage() {
  const t = useMessages(messages);
  const { login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useSchemaForm(makeSchema, { defaultValues: { email: '', password: '' } });

  const onSubmit = handleSubmit(async ({ email, password }) => {
    try {
      await login(email, password);
      navigate(safeNext(params.get('next')), { replace: true });
    } catch (error) {
      const pendingEmail = emailVerificationRequired(error);
      if (pendingEmail !== null) {
        navigate(`/verify-pending?email=${encodeURIComponent(pendingEmail || email)}`);
        return;
      }
      applyApiErrors(error, setError, { fields: ['email', 'password'] });
    }
  });

  const notice = params.has('reset') ? t('loginAfterReset') : params.has('verified') ? t('loginAfterVerify') : null;
  const next = params.get('next');

  return (
    <div className="auth-page">
      <PageHeader title={t('loginTitle')} description={t('loginDescription')} />
      {notice && (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      )}
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError message={errors.root?.server?.message} />
        <TextField
          label={t('email')}
          type="email"
          autoComplete="username"
          inputMode="email"
          required
          error={errors.email?.message}
          {...register('email')}
        />
        <TextField
          label={t('password')}
          type="password"
          autoComplete="current-password"
          required
          error={errors.password?.message}
          {...register('password')}
        />
        <Button type="submit" block loading={isSubmitting}>
          {t('loginSubmit')}
        </Button>
      </form>
      <div className="auth-page__footer">
        <Link to="/forgot-password">{t('loginForgot')}</Link>
        <span>
          {t('loginNoAccount')}{' '}
          <Link to={next ? `/register?next=${encodeURIComponent(next)}` : '/register'}>{t('loginRegisterLink')}</Link>
        </span>
      </div>
    </div>
  );
}
