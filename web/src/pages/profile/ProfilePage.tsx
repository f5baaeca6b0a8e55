import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { User } from '../../api/types';
import { Badge } from '../../components/Badge';
import { LinkButton } from '../../components/Button';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Spinner';
import { QueryView } from '../../components/States';
import { useFormat, useMessages } from '../../i18n/react';
import { messages } from './messages';
import { ProfileForm } from './ProfileForm';
import styles from './ProfilePage.module.css';
import { tierName } from '../../i18n/common';

function AccountCard({ profile }: { profile: User }) {
  const t = useMessages(messages);
  const f = useFormat();
  const sub = profile.subscription;
  return (
    <section className={`card ${styles.card}`} aria-labelledby="profile-account">
      <h2 id="profile-account" className={styles.cardTitle}>
        {t('account')}
      </h2>
      <dl className={styles.facts}>
        <div>
          <dt>{t('email')}</dt>
          <dd className={styles.email}>
            {profile.email}{' '}
            <Badge tone={profile.is_email_verified ? 'success' : 'warning'}>
              {profile.is_email_verified ? t('verified') : t('unverified')}
            </Badge>
          </dd>
        </div>
        <div>
          <dt>{t('joined')}</dt>
          <dd>{f.date(profile.date_joined)}</dd>
        </div>
        <div>
          <dt>{t('plan')}</dt>
          <dd>
            {sub && sub.is_active && !sub.is_expired ? tierName(sub.tier) : t('planFree')}{' '}
            <Link to="/subscription">{t('managePlan')}</Link>
          </dd>
        </div>
      </dl>
    </section>
  );
}

export default function ProfilePage() {
  const t = useMessages(messages);
  const query = useQuery({
    queryKey: qk.profile,
    queryFn: ({ signal }) => api.get<User>('/api/accounts/profile/', { signal }),
  });
  return (
    <>
      <PageHeader
        title={t('profileTitle')}
        description={t('profileDescription')}
        actions={
          <LinkButton to="/settings" variant="secondary">
            {t('settingsLink')}
          </LinkButton>
        }
      />
      <QueryView
        query={query}
        loading={
          <div className={styles.layout} aria-hidden="true">
            <Skeleton height="12rem" radius="var(--radius-lg)" />
            <Skeleton height="16rem" radius="var(--radius-lg)" />
          </div>
        }
      >
        {(profile) => (
          <div className={styles.layout}>
            <AccountCard profile={profile} />
            <section className={`card ${styles.card}`} aria-labelledby="profile-edit">
              <h2 id="profile-edit" className={styles.cardTitle}>
                {t('editTitle')}
              </h2>
              <ProfileForm profile={profile} />
            </section>
          </div>
        )}
      </QueryView>
    </>
  );
}
