import styles from './Pagination.module.css';

export interface PaginationProps {
  page: number;
  totalPages: number;
  onChange: (page: number) => void;
  labels: {
    /** the nav's name, e.g. "Pages" */
    nav: string;
    previous: string;
    next: string;
    /** "Page {page} of {total}" — the status text */
    status: string;
    /** "Page {page}", for each number button's accessible name */
    page: (page: number) => string;
  };
}

/** Which page numbers to show: first, last, and a window around the current one. */
export function pageWindow(page: number, total: number, radius = 1): (number | null)[] {
  const out: (number | null)[] = [];
  for (let p = 1; p <= total; p++) {
    if (p === 1 || p === total || Math.abs(p - page) <= radius) out.push(p);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

/** Previous / numbers / next, as buttons (the caller keeps the page in the URL). */
export function Pagination({ page, totalPages, onChange, labels }: PaginationProps) {
  if (totalPages <= 1) return null;
  return (
    <nav className={styles.pagination} aria-label={labels.nav}>
      <button
        type="button"
        className="btn btn--secondary btn--sm"
        disabled={page <= 1}
        onClick={() => onChange(page - 1)}
      >
        {labels.previous}
      </button>
      <ul className={styles.pages}>
        {pageWindow(page, totalPages).map((p, i) =>
          p === null ? (
            <li key={`gap-${i}`} aria-hidden="true" className={styles.gap}>
              …
            </li>
          ) : (
            <li key={p}>
              <button
                type="button"
                className={`btn btn--sm ${p === page ? 'btn--primary' : 'btn--ghost'}`}
                aria-current={p === page ? 'page' : undefined}
                aria-label={labels.page(p)}
                onClick={() => onChange(p)}
              >
                {p}
              </button>
            </li>
          ),
        )}
      </ul>
      <span className="visually-hidden" aria-live="polite">
        {labels.status}
      </span>
      <button
        type="button"
        className="btn btn--secondary btn--sm"
        disabled={page >= totalPages}
        onClick={() => onChange(page + 1)}
      >
        {labels.next}
      </button>
    </nav>
  );
}
