import { useEffect, useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import * as z from 'zod/mini';
import { api } from '../../api/client';
import { applyApiErrors } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { NotificationPreferences } from '../../api/types';
import { Button } from '../../components/Button';
import { FormError, Select, Switch, TextField } from '../../components/Field';
import { Skeleton } from '../../components/Spinner';
import { QueryView } from '../../components/States';
import { useToast } from '../../components/toast-context';
import { useSchemaForm, type V } from '../../forms/rules';
import { isLang, type Lang, type Translate } from '../../i18n/core';
import { useCommon, useMessages } from '../../i18n/react';
import { browserTimeZone, DEFAULT_TIMEZONE, timeZonesWith } from '../../lib/timezones';
import { messages } from './messages';
import styles from './SettingsPage.module.css';

export const PREFS_PATH = '/api/accounts/notification-preferences/';

/** The preferences query, shared with the language section. */
export function usePreferences() {
  return useQuery({
    queryKey: qk.notificationPreferences,
    queryFn: ({ signal }) => api.get<Required<NotificationPreferences>>(PREFS_PATH, { signal }),
  });
}

const FIELDS = ['email_notifications_enabled', 'daily_reminder_enabled', 'daily_reminder_time', 'timezone', 'language'] as const;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

const makeSchema = (v: V, t: Translate<keyof typeof messages.ko>) =>
  z.object({
    // z.custom rather than z.boolean/z.enum: those would add zod code to the chunk /login loads
    email_notifications_enabled: z.custom<boolean>((x) => typeof x === 'boolean'),
    daily_reminder_enabled: z.custom<boolean>((x) => typeof x === 'boolean'),
    daily_reminder_time: z.string().check(z.regex(TIME, t('reminderTimeInvalid'))),
    timezone: z.string().check(z.minLength(1, v('vRequired'))),
    language: z.custom<Lang>(isLang),
  });

function PreferencesForm({ prefs }: { prefs: Required<NotificationPreferences> }) {
  const t = useMessages(messages);
  const v = useCommon();
  const toast = useToast();
  const queryClient = useQueryClient();
  const {
    register,
    handleSubmit,
    setError,
    setValue,
    resetField,
    watch,
    formState: { errors, isSubmitting },
  } = useSchemaForm(
    makeSchema,
    {
      defaultValues: {
        ...prefs,
        daily_reminder_time: prefs.daily_reminder_time.slice(0, 5),
        timezone: prefs.timezone || DEFAULT_TIMEZONE,
      },
    },
    messages,
  );
  // The language section can change the email language: follow it here.
  useEffect(() => resetField('language', { defaultValue: prefs.language }), [prefs.language, resetField]);

  const zone = watch('timezone');
  const zones = useMemo(() => timeZonesWith(zone), [zone]);
  const here = browserTimeZone();

  const onSubmit = handleSubmit(async (values) => {
    const body: NotificationPreferences = {
      ...values,
      daily_reminder_time: values.daily_reminder_time.length === 5 ? `${values.daily_reminder_time}:00` : values.daily_reminder_time,
    };
    try {
      const saved = await api.put<Required<NotificationPreferences>>(PREFS_PATH, body);
      queryClient.setQueryData(qk.notificationPreferences, saved);
      toast.show({ message: t('notificationsSaved'), tone: 'success' });
    } catch (error) {
      applyApiErrors(error, setError, { fields: FIELDS });
    }
  });

  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <FormError message={errors.root?.server?.message} />
      <Switch label={t('emailNotifications')} hint={t('emailNotificationsHint')} {...register('email_notifications_enabled')} />
      <Switch label={t('dailyReminder')} {...register('daily_reminder_enabled')} />
      <div className={styles.grid}>
        <TextField
          label={t('reminderTime')}
          hint={t('reminderTimeHint')}
          type="time"
          step={60}
          error={errors.daily_reminder_time?.message}
          {...register('daily_reminder_time')}
        />
        <Select label={t('timezone')} hint={t('timezoneHint')} error={errors.timezone?.message} {...register('timezone')}>
          {zones.map((z) => (
            <option key={z} value={z}>
              {z.replaceAll('_', ' ')}
            </option>
          ))}
        </Select>
      </div>
      {here && here !== zone && (
        <div>
          <Button variant="ghost" size="sm" onClick={() => setValue('timezone', here, { shouldDirty: true })}>
            {t('useBrowserZone', { zone: here })}
          </Button>
        </div>
      )}
      <Select label={t('emailLanguage')} error={errors.language?.message} {...register('language')}>
        <option value="ko" lang="ko">
          {v('langKo')}
        </option>
        <option value="en" lang="en">
          {v('langEn')}
        </option>
      </Select>
      <div className="row">
        <Button type="submit" loading={isSubmitting}>
          {v('save')}
        </Button>
      </div>
    </form>
  );
}

export function NotificationsSection() {
  const t = useMessages(messages);
  const query = usePreferences();
  return (
    <section className={`card ${styles.section}`} aria-labelledby="settings-notifications" id="notifications">
      <h2 id="settings-notifications" className={styles.title}>
        {t('notificationsTitle')}
      </h2>
      <QueryView query={query} loading={<Skeleton lines={5} height="2.75rem" />}>
        {(prefs) => <PreferencesForm prefs={prefs} />}
      </QueryView>
    </section>
  );
}
