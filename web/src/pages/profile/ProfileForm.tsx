import { useQueryClient } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { api } from '../../api/client';
import { applyApiErrors } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { User } from '../../api/types';
import { useAuth } from '../../auth/context';
import { Button } from '../../components/Button';
import { FormError, TextField } from '../../components/Field';
import { useToast } from '../../components/toast-context';
import { rules, useSchemaForm, type V } from '../../forms/rules';
import type { Translate } from '../../i18n/core';
import { useCommon, useMessages } from '../../i18n/react';
import { messages } from './messages';

const USERNAME = /^[\p{L}\p{N}@.+\-_]*$/u;

const makeSchema = (v: V, t: Translate<keyof typeof messages.ko>) =>
  z.object({
    username: z
      .string()
      .check(z.trim(), z.maxLength(150, v('vMaxLength', { max: 150 })), z.regex(USERNAME, t('usernameInvalid'))),
    weekly_goal: rules.weeklyGoal(v),
  });

interface ProfileResponse {
  email: string;
  username: string | null;
  is_email_verified: boolean;
  weekly_goal: number;
}

export function ProfileForm({ profile }: { profile: User }) {
  const t = useMessages(messages);
  const v = useCommon();
  const toast = useToast();
  const { refreshUser } = useAuth();
  const queryClient = useQueryClient();
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useSchemaForm(
    makeSchema,
    { defaultValues: { username: profile.username ?? '', weekly_goal: profile.weekly_goal } },
    messages,
  );

  const onSubmit = handleSubmit(async (values) => {
    const body = { username: values.username.trim() || null, weekly_goal: values.weekly_goal };
    let saved: ProfileResponse;
    try {
      saved = await api.put<ProfileResponse>('/api/accounts/profile/', body);
    } catch (error) {
      applyApiErrors(error, setError, { fields: ['username', 'weekly_goal'] });
      return;
    }
    queryClient.setQueryData<User>(qk.profile, (old) => (old ? { ...old, ...saved } : old));
    reset({ username: saved.username ?? '', weekly_goal: saved.weekly_goal });
    toast.show({ message: t('saved'), tone: 'success' });
    try {
      await refreshUser();
    } catch {
      // the header keeps the old name until the next load; the profile itself is saved
    }
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormError message={errors.root?.server?.message} />
      <TextField
        label={t('username')}
        hint={t('usernameHint')}
        autoComplete="username"
        maxLength={150}
        error={errors.username?.message}
        {...register('username')}
      />
      <TextField
        label={t('weeklyGoal')}
        hint={t('weeklyGoalHint')}
        type="number"
        inputMode="numeric"
        min={1}
        max={100}
        step={1}
        required
        error={errors.weekly_goal?.message}
        {...register('weekly_goal', { valueAsNumber: true })}
      />
      <div className="row">
        <Button type="submit" loading={isSubmitting}>
          {v('save')}
        </Button>
      </div>
    </form>
  );
}
