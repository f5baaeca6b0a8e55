import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { qk } from '../../api/queryKeys';
import type { Forecast } from '../../api/types';
import { LinkButton } from '../../components/Button';
import { Skeleton } from '../../components/Spinner';
import { EmptyState } from '../../components/States';
import { useFormat, useMessages } from '../../i18n/react';
import { messages } from './messages';

const DAYS = 30;

/** "Nothing due today", with when the next cards fall due (from the forecast). */
export function ReviewEmpty({ hasNotes }: { hasNotes: boolean }) {
  const t = useMessages(messages);
  const f = useFormat();
  const forecast = useQuery({
    queryKey: qk.review.forecast(DAYS),
    queryFn: ({ signal }) => api.get<Forecast>('/api/review/forecast/', { query: { days: DAYS }, signal }),
    enabled: hasNotes,
  });
  // today's column counts overdue cards that are not in today's list (paused or past the window)
  const upcoming = forecast.data?.days.slice(1).find((d) => d.due > 0);
  return (
    <EmptyState
      title={t('emptyTitle')}
      description={
        <>
          {hasNotes ? t('emptyText') : t('emptyNoNotes')}
          {hasNotes && (
            <span style={{ display: 'block', minHeight: '1.6em' }}>
              {forecast.isPending ? (
                <Skeleton width="14rem" />
              ) : upcoming ? (
                t('nextDue', { date: f.date(upcoming.date, { month: 'long', day: 'numeric', weekday: 'short' }), count: upcoming.due })
              ) : null}
            </span>
          )}
        </>
      }
      action={
        <div className="row">
          <LinkButton to="/contents/new">{t('newNote')}</LinkButton>
          <LinkButton to="/dashboard" variant="secondary">
            {t('toDashboard')}
          </LinkButton>
        </div>
      }
    />
  );
}
