import type { MouseEvent } from 'react';
import { useCommon } from '../i18n/react';

/** The first focusable element: moves focus to <main id="main">. Visible only when focused. */
export function SkipLink({ target = 'main' }: { target?: string }) {
  const t = useCommon();
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    const el = document.getElementById(target);
    if (!el) return;
    event.preventDefault(); // keep the URL (and the router) unchanged
    el.focus();
    el.scrollIntoView?.();
  };
  return (
    <a className="skip-link" href={`#${target}`} onClick={onClick}>
      {t('skipToContent')}
    </a>
  );
}
