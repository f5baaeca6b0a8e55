import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { errorMessage } from '../api/errors';
import { useCommon } from '../i18n/react';
import { Button } from './Button';
import { PageLoader } from './Spinner';

export interface EmptyStateProps {
  title: ReactNode;
  description?: ReactNode;
  /** usually a LinkButton / Button to create the first item */
  action?: ReactNode;
  icon?: ReactNode;
}

export function EmptyState({ title, description, action, icon }: EmptyStateProps) {
  return (
    <div className="state state--empty">
      {icon && (
        <div className="state__icon" aria-hidden="true">
          {icon}
        </div>
      )}
      <h2 className="state__title">{title}</h2>
      {description && <p className="state__text">{description}</p>}
      {action && <div className="state__action">{action}</div>}
    </div>
  );
}

export interface ErrorStateProps {
  /** the thrown error; its message is derived with errorMessage() unless `message` is given */
  error?: unknown;
  title?: ReactNode;
  message?: ReactNode;
  /** shows a "Try again" button */
  onRetry?: () => void;
  action?: ReactNode;
}

export function ErrorState({ error, title, message, onRetry, action }: ErrorStateProps) {
  const t = useCommon();
  return (
    <div className="state state--error" role="alert">
      <h2 className="state__title">{title ?? t('errorTitle')}</h2>
      <p className="state__text">{message ?? errorMessage(error)}</p>
      {(onRetry || action) && (
        <div className="state__action">
          {onRetry && (
            <Button variant="secondary" onClick={onRetry}>
              {t('retry')}
            </Button>
          )}
          {action}
        </div>
      )}
    </div>
  );
}

export interface QueryViewProps<T> {
  query: UseQueryResult<T>;
  /** what to render with the data */
  children: (data: T) => ReactNode;
  /** shown while loading (default: PageLoader); use Skeletons shaped like the content */
  loading?: ReactNode;
  /** when true for the data, `empty` is rendered instead of children */
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}

/**
 * The standard loading / error / empty / data switch for one query:
 *   <QueryView query={q} isEmpty={(d) => d.results.length === 0} empty={<EmptyState …/>}>
 *     {(data) => <List items={data.results} />}
 *   </QueryView>
 */
export function QueryView<T>({ query, children, loading, isEmpty, empty }: QueryViewProps<T>) {
  if (query.isPending) return <>{loading ?? <PageLoader />}</>;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data) && empty) return <>{empty}</>;
  return <>{children(query.data)}</>;
}
