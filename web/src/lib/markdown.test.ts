import { describe, expect, it } from 'vitest';
import { renderMarkdown as render } from './markdown';
import { renderMath } from './math';

const renderMarkdown = (source: string) => render(source, renderMath);

describe('renderMarkdown', () => {
  it('renders GFM', () => {
    const html = renderMarkdown('# Title\n\n- **bold** item\n\n| a | b |\n|---|---|\n| 1 | 2 |');
    expect(html).toContain('<h2>Title</h2>'); // below the page's own h1
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<table>');
  });

  it('removes scripts and event handlers', () => {
    const html = renderMarkdown('<img src=x onerror="alert(1)"><script>alert(2)</script>[x](javascript:alert(3))');
    expect(html).not.toMatch(/onerror|<script|javascript:/i);
  });

  it('highlights registered languages and escapes the rest', () => {
    const html = renderMarkdown('```js\nconst a = 1;\n```\n\n```nope\n<b>x</b>\n```');
    expect(html).toContain('class="hljs language-js"');
    expect(html).toContain('hljs-keyword');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
  });

  it('renders inline and display math with KaTeX, leaving prices alone', () => {
    const html = renderMarkdown('Euler: $e^{i\\pi}+1=0$ costs $5 and $6\n\n$$\n\\int_0^1 x\\,dx\n$$');
    expect(html).toContain('class="katex"');
    expect(html).toContain('math-display');
    expect(html).toContain('costs $5 and $6');
  });

  it('does not let a note forge a math placeholder', () => {
    const html = renderMarkdown('<span data-math="m0:0"></span> text');
    expect(html).not.toContain('katex');
  });

  it('shows math as TeX source without a math renderer', () => {
    expect(render('$x^2$')).toBe('<p><code class="math">x^2</code></p>\n');
  });

  it('opens external links in a new tab safely', () => {
    expect(renderMarkdown('[a](https://example.com)')).toContain('rel="noopener noreferrer nofollow"');
  });
});
