import { useId, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { NotificationPreferences } from '../../api/types';
import { Button } from '../../components/Button';
import { useToast } from '../../components/toast-context';
import { isLang, type Lang } from '../../i18n/core';
import { useCommon, useLang, useMessages } from '../../i18n/react';
import { PREFS_PATH, usePreferences } from './NotificationsSection';
import { messages } from './messages';
import styles from './SettingsPage.module.css';

/** The UI language (this browser) and, on request, the same language for emails. */
export function LanguageSection() {
  const t = useMessages(messages);
  const c = useCommon();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [lang, setLang] = useLang();
  const prefs = usePreferences();
  const [busy, setBusy] = useState(false);
  const hintId = useId();
  const name = (l: Lang) => (l === 'ko' ? c('langKo') : c('langEn'));
  const emailLang = prefs.data?.language;

  const syncEmail = async () => {
    setBusy(true);
    try {
      const saved = await api.put<Required<NotificationPreferences>>(PREFS_PATH, { language: lang });
      queryClient.setQueryData(qk.notificationPreferences, saved);
      toast.show({ message: t('emailLanguageSynced', { lang: name(lang) }), tone: 'success' });
    } catch (error) {
      toast.show({ message: errorMessage(error), tone: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className={`card ${styles.section}`} aria-labelledby="settings-language" id="language">
      <h2 id="settings-language" className={styles.title}>
        {t('languageTitle')}
      </h2>
      <fieldset className={styles.choices} aria-describedby={hintId}>
        <legend className="field__label">{t('uiLanguage')}</legend>
        {(['ko', 'en'] as const).map((l) => (
          <label key={l} className={styles.choice}>
            <input
              type="radio"
              name="ui-language"
              value={l}
              checked={lang === l}
              onChange={(e) => isLang(e.target.value) && setLang(e.target.value)}
            />
            <span lang={l}>{name(l)}</span>
          </label>
        ))}
      </fieldset>
      <p id={hintId} className="field__hint">
        {t('uiLanguageHint')}
      </p>
      <div className={styles.inline}>
        {emailLang && (
          <span className="muted">
            {t('emailLanguageIs')} <span lang={emailLang}>{name(emailLang)}</span>
          </span>
        )}
        {prefs.isSuccess && emailLang !== lang && (
          <Button variant="secondary" size="sm" loading={busy} onClick={() => void syncEmail()}>
            {t('emailLanguageSync', { lang: name(lang) })}
          </Button>
        )}
      </div>
    </section>
  );
}
