// Placeholder: replace this file with the real page (keep the default export).
import { PageHeader } from '../../components/PageHeader';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';

export default function ContentsPage() {
  const t = useMessages(messages);
  return <PageHeader title={t('listTitle')} />;
}
