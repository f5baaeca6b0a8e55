import type { CSSProperties } from 'react';
import { useCommon } from '../i18n/react';

export interface SpinnerProps {
  size?: 'sm' | 'md' | 'lg';
  /** accessible label (defaults to "Loading…"); ignored when decorative */
  label?: string;
  /** purely visual (e.g. inside a busy button): hidden from assistive tech */
  decorative?: boolean;
}

export function Spinner({ size = 'md', label, decorative = false }: SpinnerProps) {
  const t = useCommon();
  if (decorative) return <span className={`spinner spinner--${size}`} aria-hidden="true" />;
  return (
    <span className={`spinner spinner--${size}`} role="status">
      <span className="visually-hidden">{label ?? t('loading')}</span>
    </span>
  );
}

export interface SkeletonProps {
  /** CSS width (default 100%) */
  width?: CSSProperties['width'];
  /** CSS height; give the real content's height so nothing shifts when it arrives */
  height?: CSSProperties['height'];
  /** number of text lines to draw instead of one block */
  lines?: number;
  radius?: CSSProperties['borderRadius'];
}

/** Placeholder shapes that reserve the space of the content being loaded. Hidden from assistive tech. */
export function Skeleton({ width = '100%', height = '1em', lines, radius }: SkeletonProps) {
  if (lines && lines > 1) {
    return (
      <span className="skeleton-lines" aria-hidden="true">
        {Array.from({ length: lines }, (_, i) => (
          <span
            key={i}
            className="skeleton"
            style={{ width: i === lines - 1 ? '60%' : width, height, borderRadius: radius }}
          />
        ))}
      </span>
    );
  }
  return <span className="skeleton" aria-hidden="true" style={{ width, height, borderRadius: radius }} />;
}

/** The fallback while a page's code or data loads: reserves the page's height, announces "Loading…". */
export function PageLoader() {
  return (
    <div className="page-loader">
      <Spinner size="lg" />
    </div>
  );
}
