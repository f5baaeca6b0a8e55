import { useEffect, useMemo, useState } from 'react';
import { Skeleton } from './Spinner';
import styles from './Markdown.module.css';

// The renderer (marked + highlight.js + KaTeX + DOMPurify) is a lazy chunk of its own, loaded
// the first time a page shows Markdown; pages that never do (landing, login) never load it.
type Renderer = (source: string) => string;
let loaded: Renderer | null = null;
let loading: Promise<Renderer> | null = null;

export function loadMarkdownRenderer(): Promise<Renderer> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= import('../lib/markdown').then((m) => {
    loaded = m.renderMarkdown;
    return loaded;
  });
  return loading;
}

/** The renderer once loaded (null before), re-rendering the caller when it arrives. */
export function useMarkdownRenderer(): Renderer | null {
  const [renderer, setRenderer] = useState<Renderer | null>(() => loaded);
  useEffect(() => {
    if (renderer) return;
    let alive = true;
    void loadMarkdownRenderer().then((r) => {
      if (alive) setRenderer(() => r);
    });
    return () => {
      alive = false;
    };
  }, [renderer]);
  return renderer;
}

export interface MarkdownProps {
  source: string;
  /** lines of skeleton while the renderer loads (reserve the space) */
  skeletonLines?: number;
  className?: string;
  id?: string;
  /** label for the rendered region (e.g. "Preview") */
  'aria-label'?: string;
}

/** Rendered, sanitised Markdown of a note (code highlighting and KaTeX math included). */
export function Markdown({ source, skeletonLines = 4, className, id, ...rest }: MarkdownProps) {
  const render = useMarkdownRenderer();
  // Rendered during render (pure), so a loaded renderer never flashes a skeleton.
  const html = useMemo(() => (render ? render(source) : null), [render, source]);
  const classes = [styles.prose, className].filter(Boolean).join(' ');
  if (html === null) {
    return (
      <div className={classes} id={id} aria-busy="true" {...rest}>
        <Skeleton lines={skeletonLines} height="1.1em" />
      </div>
    );
  }
  return <div className={classes} id={id} {...rest} dangerouslySetInnerHTML={{ __html: html }} />;
}
