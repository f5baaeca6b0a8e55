// The note renderer: Markdown (marked, GFM) → sanitised HTML (DOMPurify), with code highlighting
// (highlight.js core + a handful of languages) and math ($inline$, $$display$$) through a
// `renderMath` function (KaTeX, ./math.ts) passed in by the caller.
//
// Heavy: only ever loaded with `import('./markdown')` (see components/Markdown.tsx), so it lands
// in its own lazy chunk and never in the entry chunk that / and /login load. KaTeX is a second
// lazy chunk, loaded only for notes with math.
import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked';
import DOMPurify from 'dompurify';
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import css from 'highlight.js/lib/languages/css';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';

const LANGUAGES = { bash, c, cpp, css, go, java, javascript, json, python, rust, sql, typescript, xml };
for (const [name, lang] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, lang);
hljs.registerAliases(['sh', 'shell', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['js', 'jsx', 'mjs'], { languageName: 'javascript' });
hljs.registerAliases(['ts', 'tsx'], { languageName: 'typescript' });
hljs.registerAliases(['py'], { languageName: 'python' });
hljs.registerAliases(['rs'], { languageName: 'rust' });
hljs.registerAliases(['html', 'svg'], { languageName: 'xml' });
hljs.registerAliases(['c++', 'cc', 'hpp'], { languageName: 'cpp' });
hljs.registerAliases(['golang'], { languageName: 'go' });

/** Languages with highlighting (for the editor's hint). */
export const HIGHLIGHTED_LANGUAGES = Object.keys(LANGUAGES);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// Links leave the app safely.
DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && /^https?:/i.test(node.getAttribute('href') ?? '')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

interface MathToken extends Tokens.Generic {
  type: 'mathBlock' | 'mathInline';
  text: string;
}

/**
 * Math is rendered after sanitising: the Markdown pass leaves placeholders carrying a per-render
 * nonce (so a note cannot forge one), DOMPurify cleans the HTML, then the placeholders become
 * KaTeX output (trust: false, so no \href or \url).
 */
function mathExtensions(slot: (tex: string, display: boolean) => string): TokenizerAndRendererExtension[] {
  return [
    {
      name: 'mathBlock',
      level: 'block',
      start: (src) => src.match(/^ {0,3}\$\$/m)?.index,
      tokenizer(src) {
        const m = /^ {0,3}\$\$([\s\S]+?)\$\$ *(?:\n+|$)/.exec(src);
        if (!m || !m[1]?.trim()) return undefined;
        return { type: 'mathBlock', raw: m[0], text: m[1].trim() } satisfies MathToken;
      },
      renderer: (token) => `${slot((token as MathToken).text, true)}\n`,
    },
    {
      name: 'mathInline',
      level: 'inline',
      start: (src) => src.indexOf('$') >= 0 ? src.indexOf('$') : undefined,
      tokenizer(src) {
        // $…$ on one line, no space just inside the dollars, no digit right after (so "$5 and $6" stays text)
        const m = /^\$(?!\s)((?:\\\$|[^$\n])+?)(?<!\s)\$(?!\d)/.exec(src);
        if (!m || !m[1]) return undefined;
        return { type: 'mathInline', raw: m[0], text: m[1] } satisfies MathToken;
      },
      renderer: (token) => slot((token as MathToken).text, false),
    },
  ];
}

function highlight(code: string, lang: string | undefined): string {
  const language = (lang ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  if (language && hljs.getLanguage(language)) {
    const html = hljs.highlight(code, { language, ignoreIllegals: true }).value;
    return `<pre><code class="hljs language-${escapeHtml(language)}">${html}</code></pre>\n`;
  }
  return `<pre><code class="hljs">${escapeHtml(code)}</code></pre>\n`;
}

let counter = 0;

export type MathRenderer = (tex: string, display: boolean) => string;

/** Math shown as its TeX source, when no math renderer is given. */
const plainMath: MathRenderer = (tex, display) =>
  display ? `<pre><code class="math">${escapeHtml(tex)}</code></pre>` : `<code class="math">${escapeHtml(tex)}</code>`;

/** Markdown → safe HTML (for `dangerouslySetInnerHTML`). */
export function renderMarkdown(source: string, renderMath: MathRenderer = plainMath): string {
  const nonce = `m${Date.now().toString(36)}${(counter++).toString(36)}`;
  const formulas: { tex: string; display: boolean }[] = [];
  const slot = (tex: string, display: boolean) => {
    formulas.push({ tex, display });
    return `<span data-math="${nonce}:${formulas.length - 1}"></span>`;
  };
  const marked = new Marked({ gfm: true, breaks: true, async: false });
  marked.use({
    extensions: mathExtensions(slot),
    renderer: {
      code: ({ text, lang }) => highlight(text, lang),
      // A note's "# heading" sits under the page's own <h1>: shift every level down by one.
      heading({ tokens, depth }) {
        const level = Math.min(6, depth + 1);
        return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
      },
    },
  });
  const html = marked.parse(source) as string;
  const clean = DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
  const placeholder = new RegExp(`<span data-math="${nonce}:(\\d+)"></span>`, 'g');
  return clean.replace(placeholder, (_, index: string) => {
    const formula = formulas[Number(index)];
    return formula ? renderMath(formula.tex, formula.display) : '';
  });
}
