import { PageHeader } from '../../components/PageHeader';
import { useMessages } from '../../i18n/react';
import { DeleteAccountSection } from './DeleteAccountSection';
import { LanguageSection } from './LanguageSection';
import { messages } from './messages';
import { NotificationsSection } from './NotificationsSection';
import { PasswordSection } from './PasswordSection';
import { ThemeSection } from './ThemeSection';
import styles from './SettingsPage.module.css';

const SECTIONS = [
  ['notifications', 'notificationsTitle'],
  ['language', 'languageTitle'],
  ['theme', 'themeTitle'],
  ['password', 'passwordTitle'],
  ['delete-account', 'deleteTitle'],
] as const;

export default function SettingsPage() {
  const t = useMessages(messages);
  return (
    <>
      <PageHeader title={t('settingsTitle')} description={t('settingsDescription')} />
      <div className={styles.layout}>
        <nav aria-label={t('sections')} className={styles.toc}>
          <ul>
            {SECTIONS.map(([id, key]) => (
              <li key={id}>
                <a href={`#${id}`}>{t(key)}</a>
              </li>
            ))}
          </ul>
        </nav>
        <div className={styles.sections}>
          <NotificationsSection />
          <LanguageSection />
          <ThemeSection />
          <PasswordSection />
          <DeleteAccountSection />
        </div>
      </div>
    </>
  );
}
