import { useId, type ReactNode } from 'react';
import styles from './AdminPage.module.css';

/**
 * A table that scrolls sideways inside its own box on narrow screens (the page never does).
 * The box is a named, focusable region so keyboard users can scroll it.
 */
export function TableWrap({ caption, children }: { caption: string; children: ReactNode }) {
  const id = useId();
  return (
    <div className={styles.tableWrap} role="region" aria-labelledby={id} tabIndex={0}>
      <table className={styles.table}>
        <caption id={id} className="visually-hidden">
          {caption}
        </caption>
        {children}
      </table>
    </div>
  );
}

export function YesNo({ value, yes, no }: { value: boolean | undefined; yes: string; no: string }) {
  if (value === undefined) return <span className="muted">—</span>;
  return (
    <span className={value ? styles.yes : styles.no}>
      <span aria-hidden="true">{value ? '✓ ' : '– '}</span>
      {value ? yes : no}
    </span>
  );
}
