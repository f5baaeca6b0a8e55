import { useId } from 'react';
import { useCommon, useMessages } from '../../i18n/react';
import type { ThemePref } from '../../theme/theme';
import { useTheme } from '../../theme/useTheme';
import { messages } from './messages';
import styles from './SettingsPage.module.css';

const PREFS: { value: ThemePref; key: 'themeLight' | 'themeDark' | 'themeSystem' }[] = [
  { value: 'light', key: 'themeLight' },
  { value: 'dark', key: 'themeDark' },
  { value: 'system', key: 'themeSystem' },
];

export function ThemeSection() {
  const t = useMessages(messages);
  const c = useCommon();
  const { pref, setPref } = useTheme();
  const hintId = useId();
  return (
    <section className={`card ${styles.section}`} aria-labelledby="settings-theme" id="theme">
      <h2 id="settings-theme" className={styles.title}>
        {t('themeTitle')}
      </h2>
      <fieldset className={styles.choices} aria-describedby={hintId}>
        <legend className="visually-hidden">{c('theme')}</legend>
        {PREFS.map((p) => (
          <label key={p.value} className={styles.choice}>
            <input type="radio" name="theme" value={p.value} checked={pref === p.value} onChange={() => setPref(p.value)} />
            <span>{c(p.key)}</span>
          </label>
        ))}
      </fieldset>
      <p id={hintId} className="field__hint">
        {t('themeHint')}
      </p>
    </section>
  );
}
