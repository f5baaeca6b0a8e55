// Keep this page light: it is part of the first load. No forms, no charts, no extra libraries.
import { useEffect } from 'react';
import { useAuth } from '../../auth/context';
import { LinkButton } from '../../components/Button';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';
import styles from './LandingPage.module.css';

export default function LandingPage() {
  const t = useMessages(messages);
  const { status } = useAuth();
  useEffect(() => {
    document.title = 'Resee';
  }, []);
  return (
    <div className={styles.landing}>
      <section className={styles.hero}>
        <h1 className={styles.title} tabIndex={-1} data-page-title="">
          {t('title')}
        </h1>
        <p className={styles.lead}>{t('lead')}</p>
        <div className={styles.actions}>
          {status === 'signed-in' ? (
            <LinkButton to="/dashboard">{t('ctaDashboard')}</LinkButton>
          ) : (
            <>
              <LinkButton to="/register">{t('ctaStart')}</LinkButton>
              <LinkButton to="/login" variant="secondary">
                {t('ctaLogin')}
              </LinkButton>
            </>
          )}
        </div>
      </section>
      <section aria-labelledby="features-title">
        <h2 id="features-title" className="visually-hidden">
          {t('featuresTitle')}
        </h2>
        <ul className={styles.features}>
          {(['1', '2', '3'] as const).map((n) => (
            <li key={n} className="card">
              <h3>{t(`f${n}Title`)}</h3>
              <p className="muted">{t(`f${n}Text`)}</p>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
