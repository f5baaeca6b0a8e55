// KaTeX, in a lazy chunk of its own: loaded only for notes that contain `$` (see components/Markdown).
import katex from 'katex';
import 'katex/dist/katex.min.css';

/** TeX → HTML + MathML (trust: false, so no \href or \url; errors are shown, not thrown). */
export function renderMath(tex: string, display: boolean): string {
  const html = katex.renderToString(tex, { displayMode: display, throwOnError: false, trust: false, output: 'htmlAndMathml' });
  return display ? `<div class="math-display">${html}</div>` : html;
}
