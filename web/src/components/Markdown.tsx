import { useEffect, useMemo, useState } from 'react';
import type { MathRenderer } from '../lib/markdown';
import { Skeleton } from './Spinner';
import styles from './Markdown.module.css';

// The renderer (marked + highlight.js + DOMPurify) is a lazy chunk of its own, loaded the first
// time a page shows Markdown; KaTeX is another, loaded only for notes with `$`. Pages that never
// show Markdown (landing, login) load neither.
type Renderer = (source: string, math?: MathRenderer) => string;
interface Loaded {
  render: Renderer;
}

let renderer: Loaded | null = null;
let rendererLoading: Promise<Loaded> | null = null;
let math: MathRenderer | null = null;
let mathLoading: Promise<MathRenderer> | null = null;

export function loadMarkdownRenderer(): Promise<Loaded> {
  if (renderer) return Promise.resolve(renderer);
  rendererLoading ??= import('../lib/markdown').then((m) => {
    renderer = { render: m.renderMarkdown };
    return renderer;
  });
  return rendererLoading;
}

export function loadMathRenderer(): Promise<MathRenderer> {
  if (math) return Promise.resolve(math);
  mathLoading ??= import('../lib/math').then((m) => {
    math = m.renderMath;
    return math;
  });
  return mathLoading;
}

/**
 * `source` → HTML once the renderer (and, for notes with `$`, KaTeX) is loaded; null before.
 * Rendered during render (pure), so a loaded renderer never flashes a skeleton.
 */
export function useMarkdown(source: string): string | null {
  const wantsMath = source.includes('$');
  const [ready, setReady] = useState(() => !!renderer && (!wantsMath || !!math));
  useEffect(() => {
    if (renderer && (!wantsMath || math)) {
      setReady(true);
      return;
    }
    let alive = true;
    setReady(false);
    void Promise.all([loadMarkdownRenderer(), wantsMath ? loadMathRenderer() : null]).then(() => {
      if (alive) setReady(true);
    });
    return () => {
      alive = false;
    };
  }, [wantsMath]);
  return useMemo(
    () => (ready && renderer ? renderer.render(source, wantsMath && math ? math : undefined) : null),
    [ready, source, wantsMath],
  );
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
  const html = useMarkdown(source);
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
