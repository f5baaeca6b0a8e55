import { isRouteErrorResponse, useRouteError } from 'react-router';
import { useCommon } from '../i18n/react';
import { Button } from './Button';
import { ErrorState } from './States';

const RELOAD_FLAG = 'resee.chunk-reload';

/** A lazy chunk that no longer exists (a deploy replaced it): the fix is loading the new index.html. */
function isChunkLoadError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /dynamically imported module|Importing a module script failed|error loading dynamically|Failed to fetch/i.test(
    message,
  );
}

/** The route errorElement: unexpected render/lazy-load errors. */
export function RouteError() {
  const error = useRouteError();
  const t = useCommon();
  const chunk = isChunkLoadError(error);

  if (chunk) {
    // Reload once automatically (index.html is never cached, so this fetches the new version).
    // At most once a minute, so a chunk that is really missing cannot cause a reload loop.
    try {
      const last = Number(sessionStorage.getItem(RELOAD_FLAG) ?? 0);
      if (Date.now() - last > 60_000) {
        sessionStorage.setItem(RELOAD_FLAG, String(Date.now()));
        window.location.reload();
        return null;
      }
    } catch {
      // fall through to the message
    }
  }
  const status = isRouteErrorResponse(error) ? error.status : null;
  return (
    <div className="container">
      <ErrorState
        message={chunk ? t('errorChunk') : status === 404 ? t('errorNotFound') : t('errorGeneric')}
        action={
          <Button variant="secondary" onClick={() => window.location.reload()}>
            {t('reload')}
          </Button>
        }
      />
    </div>
  );
}
