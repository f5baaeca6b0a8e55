import { LinkButton } from '../../components/Button';
import { PageHeader } from '../../components/PageHeader';
import { EmptyState } from '../../components/States';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';

export default function NotFoundPage() {
  const t = useMessages(messages);
  return (
    <>
      <PageHeader title={t('title')} />
      <EmptyState title="404" description={t('text')} action={<LinkButton to="/">{t('home')}</LinkButton>} />
    </>
  );
}
