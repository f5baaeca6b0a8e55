import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { useMessages } from '../../i18n/react';
import { BackupsPanel } from './BackupsPanel';
import { messages } from './messages';
import { OverviewPanel } from './OverviewPanel';
import { QueuePanel } from './QueuePanel';
import { Tabs } from './Tabs';
import { UsersPanel } from './UsersPanel';

const TABS = ['overview', 'users', 'queue', 'backups'] as const;
type Tab = (typeof TABS)[number];
const LABEL = { overview: 'tabOverview', users: 'tabUsers', queue: 'tabQueue', backups: 'tabBackups' } as const;

function isTab(value: string | null): value is Tab {
  return TABS.includes(value as Tab);
}

export default function AdminPage() {
  const t = useMessages(messages);
  const [params, setParams] = useSearchParams();
  const raw = params.get('tab');
  const tab: Tab = isTab(raw) ? raw : 'overview';
  return (
    <>
      <PageHeader title={t('adminTitle')} description={t('adminDescription')} />
      <Tabs
        label={t('tabs')}
        tabs={TABS.map((key) => ({ key, label: t(LABEL[key]) }))}
        selected={tab}
        onSelect={(key) => setParams(key === 'overview' ? {} : { tab: key }, { replace: true })}
      >
        {tab === 'overview' && <OverviewPanel />}
        {tab === 'users' && <UsersPanel />}
        {tab === 'queue' && <QueuePanel />}
        {tab === 'backups' && <BackupsPanel />}
      </Tabs>
    </>
  );
}
