import type { AdminUser } from './types';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { useFormat, useMessages } from '../../i18n/react';
import { messages } from './messages';
import { YesNo } from './TableWrap';
import styles from './AdminPage.module.css';
import { tierName } from '../../i18n/common';

export interface UserChange {
  user: AdminUser;
  field: 'is_staff' | 'is_active';
  value: boolean;
  /** the action's name, reused on the confirm button */
  label: string;
}

export interface UserRowProps {
  user: AdminUser;
  /** known active state (undefined when the API does not say) */
  active: boolean | undefined;
  /** the signed-in admin's own row: no self-demotion or self-deactivation */
  self: boolean;
  onChange: (change: UserChange) => void;
}

export function UserRow({ user, active, self, onChange }: UserRowProps) {
  const t = useMessages(messages);
  const f = useFormat();
  const sub = user.subscription;
  const action = (field: UserChange['field'], value: boolean, key: Parameters<typeof t>[0]) => {
    const label = t(key);
    return (
      <Button
        key={`${field}-${String(value)}`}
        size="sm"
        variant={value ? 'secondary' : 'ghost'}
        disabled={self}
        aria-label={t('actionNamed', { action: label, email: user.email })}
        onClick={() => onChange({ user, field, value, label })}
      >
        {label}
      </Button>
    );
  };
  return (
    <tr>
      <th scope="row" className={styles.email}>
        {user.email} {self && <span className="muted">{t('you')}</span>}
      </th>
      <td>{user.username ?? <span className="muted">—</span>}</td>
      <td>
        <YesNo value={user.is_email_verified} yes={t('yes')} no={t('no')} />
      </td>
      <td>
        <YesNo value={user.is_staff} yes={t('yes')} no={t('no')} />
      </td>
      <td>
        <YesNo value={active} yes={t('yes')} no={t('no')} />
      </td>
      <td className={styles.nowrap}>{f.date(user.date_joined)}</td>
      <td>
        {sub ? <Badge tone={sub.is_active && !sub.is_expired ? 'info' : 'neutral'}>{tierName(sub.tier)}</Badge> : '—'}
      </td>
      <td>
        <div className={styles.rowActions}>
          {user.is_staff ? action('is_staff', false, 'removeStaff') : action('is_staff', true, 'makeStaff')}
          {active === undefined
            ? [action('is_active', true, 'activate'), action('is_active', false, 'deactivate')]
            : active
              ? action('is_active', false, 'deactivate')
              : action('is_active', true, 'activate')}
        </div>
      </td>
    </tr>
  );
}
