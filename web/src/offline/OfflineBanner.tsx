import { useCommon } from '../i18n/react';
import { useOnline } from './useOnline';
import { useOutbox } from './useOutbox';

/** Shown under the header while offline, or while queued reviews wait to be sent. */
export function OfflineBanner() {
  const online = useOnline();
  const pending = useOutbox().length;
  const t = useCommon();
  // The live region stays mounted (empty, hidden by CSS :empty) so its content is announced.
  return (
    <div className="offline-banner" role="status">
      {!online && <span>{t('offlineBanner')}</span>}
      {pending > 0 && <span>{t('outboxPending', { count: pending })}</span>}
    </div>
  );
}
