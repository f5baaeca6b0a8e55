import { useEffect, type ReactNode } from 'react';

export interface PageHeaderProps {
  title: string;
  description?: ReactNode;
  /** buttons/links on the right (wrap below the title on small screens) */
  actions?: ReactNode;
}

/**
 * Every page starts with one: the page's single <h1> (focused after client-side navigation,
 * see AppShell) and the document title "<title> · Resee".
 */
export function PageHeader({ title, description, actions }: PageHeaderProps) {
  useEffect(() => {
    document.title = `${title} · Resee`;
  }, [title]);
  return (
    <header className="page-header">
      <div className="page-header__text">
        <h1 className="page-header__title" tabIndex={-1} data-page-title="">
          {title}
        </h1>
        {description && <p className="page-header__description">{description}</p>}
      </div>
      {actions && <div className="page-header__actions">{actions}</div>}
    </header>
  );
}
