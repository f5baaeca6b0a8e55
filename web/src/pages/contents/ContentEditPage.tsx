import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { Content } from '../../api/types';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Spinner';
import { QueryView } from '../../components/States';
import { useMessages } from '../../i18n/react';
import { ContentEditor } from './ContentEditor';
import { editorMessages } from './editorMessages';

export function EditorSkeleton() {
  return (
    <div className="stack" aria-hidden="true">
      <Skeleton height="4.5rem" />
      <Skeleton height="24rem" />
      <Skeleton height="8rem" />
    </div>
  );
}

export default function ContentEditPage() {
  const t = useMessages(editorMessages);
  const id = Number(useParams().id);
  const query = useQuery({
    queryKey: qk.contents.detail(id),
    queryFn: ({ signal }) => api.get<Content>(`/api/contents/${id}/`, { signal }),
    enabled: Number.isInteger(id),
    // the form must start from what is saved now
    staleTime: 0,
  });
  return (
    <>
      <PageHeader title={t('editTitle')} description={query.data?.title} />
      <QueryView query={query} loading={<EditorSkeleton />}>
        {(content) => <ContentEditor key={content.id} initial={content} />}
      </QueryView>
    </>
  );
}
