import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader';
import { useMessages } from '../../i18n/react';
import { useContentUsage } from '../dashboard/queries';
import { ContentEditor } from './ContentEditor';
import { editorMessages } from './editorMessages';

export default function ContentNewPage() {
  const t = useMessages(editorMessages);
  const [params] = useSearchParams();
  const category = params.get('category');
  const usage = useContentUsage();
  return (
    <>
      <PageHeader title={t('newTitle')} />
      {usage.data && !usage.data.can_create && (
        <p className="notice" role="status">
          {t('planLimit')} <Link to="/subscription">{t('planLimitLink')}</Link>
        </p>
      )}
      <ContentEditor defaultCategory={category && /^\d+$/.test(category) ? Number(category) : null} />
    </>
  );
}
