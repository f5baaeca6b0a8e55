import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { qk } from '../../api/queryKeys';
import type { Id, ReviewPage, Schedule } from '../../api/types';
import { Switch } from '../../components/Field';
import { Skeleton } from '../../components/Spinner';
import { useToast } from '../../components/toast-context';
import { useMessages } from '../../i18n/react';
import { messages } from './messages';

/** The schedules list cannot be filtered by note: walk its pages (100 at a time) to find this note's. */
async function findSchedule(contentId: Id, signal: AbortSignal): Promise<Schedule | null> {
  for (let page = 1; page <= 50; page++) {
    const list = await api.get<ReviewPage<Schedule>>('/api/review/schedules/', {
      query: { page, page_size: 100 },
      signal,
    });
    const found = list.results.find((s) => s.content.id === contentId);
    if (found) return found;
    if (!list.next || page >= list.total_pages) return null;
  }
  return null;
}

/** Pause or resume this note's reviews (PATCH is_active on its schedule). */
export function ScheduleToggle({ contentId }: { contentId: Id }) {
  const t = useMessages(messages);
  const toast = useToast();
  const queryClient = useQueryClient();
  const key = qk.review.schedules({ content: contentId });
  const schedule = useQuery({ queryKey: key, queryFn: ({ signal }) => findSchedule(contentId, signal) });
  const toggle = useMutation({
    mutationFn: (active: boolean) =>
      api.patch<Schedule>(`/api/review/schedules/${schedule.data?.id}/`, { is_active: active }),
    onSuccess: (updated) => {
      queryClient.setQueryData(key, updated);
      void queryClient.invalidateQueries({ queryKey: qk.review.today() });
      void queryClient.invalidateQueries({ queryKey: qk.review.dashboard() });
      void queryClient.invalidateQueries({ queryKey: qk.contents.all });
      toast.show({ message: updated.is_active ? t('scheduleResumed') : t('schedulePaused'), tone: 'success' });
    },
    onError: (error) => toast.show({ message: errorMessage(error), tone: 'error' }),
  });

  if (schedule.isPending) return <Skeleton height="2.75rem" width="16rem" />;
  if (schedule.isError || !schedule.data) return <p className="muted">{t('scheduleMissing')}</p>;
  return (
    <Switch
      label={t('scheduleActive')}
      hint={t('scheduleActiveHint')}
      checked={schedule.data.is_active}
      disabled={toggle.isPending}
      onChange={(e) => toggle.mutate(e.target.checked)}
    />
  );
}
