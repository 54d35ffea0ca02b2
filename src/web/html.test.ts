import { describe, expect, it } from 'vitest';
import { escapeHtml, html, isSafeHtml, joinHtml, jsonScript, raw } from './html.js';

describe('html tagged template', () => {
  it('escapes every interpolated text, in text and in attribute values', () => {
    const name = `<script>alert("x")</script> & 'Tom'`;
    expect(html`<td>${name}</td>`.html).toBe(
      '<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Tom&#39;</td>',
    );
    // A value cannot leave its quoted attribute, with either quote.
    expect(html`<a href="${'x" onclick="evil()'}" title='${"y' onmouseover='evil()"}'>a</a>`.html).toBe(
      '<a href="x&quot; onclick=&quot;evil()" title=\'y&#39; onmouseover=&#39;evil()\'>a</a>',
    );
    expect(html`${42} ${1.5} ${true}`.html).toBe('42 1.5 true');
  });

  it('keeps nested html as markup and escapes its own values once (no double escaping)', () => {
    const cell = (s: string) => html`<td>${s}</td>`;
    const row = html`<tr>${cell('a&b')}${cell('<i>')}</tr>`;
    expect(row.html).toBe('<tr><td>a&amp;b</td><td>&lt;i&gt;</td></tr>');
    expect(html`<table>${row}</table>`.html).toBe('<table><tr><td>a&amp;b</td><td>&lt;i&gt;</td></tr></table>');
  });

  it('joins arrays with nothing between, each item by the same rules', () => {
    const items = ['<a>', 'b'].map((s) => html`<li>${s}</li>`);
    expect(html`<ul>${items}</ul>`.html).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
    expect(html`${['<', html`<b>`, ['&', null]]}`.html).toBe('&lt;<b>&amp;');
    expect(html`<ul>${[]}</ul>`.html).toBe('<ul></ul>');
  });

  it('inserts nothing for null, undefined and false, but keeps 0', () => {
    const flag = false as boolean;
    expect(html`a${null}b${undefined}c${flag && html`<b>x</b>`}d${0}`.html).toBe('abcd0');
  });

  it('a plain string is never taken as markup; raw() and joinHtml are', () => {
    expect(isSafeHtml('<b>')).toBe(false);
    expect(isSafeHtml(html`<b>`)).toBe(true);
    expect(html`${raw('<b>bold</b>')}`.html).toBe('<b>bold</b>');
    expect(joinHtml([html`<a>1</a>`, '2 > 1'], ' › ').html).toBe('<a>1</a> › 2 &gt; 1');
    expect(String(html`<p>${'x'}</p>`)).toBe('<p>x</p>');
    expect(escapeHtml(null)).toBe('');
  });

  it('inline JSON cannot end its script block, and reads back unchanged', () => {
    const data = { label: 'Kosten </script><script>alert(1)</script><!--', n: 3, line: 'a\u2028b' };
    const block = jsonScript(data, { class: 'chart-data' }).html;
    expect(block.startsWith('<script type="application/json" class="chart-data">')).toBe(true);
    const body = block.slice(block.indexOf('>') + 1, block.lastIndexOf('</script>'));
    expect(body).not.toContain('<');
    expect(block.match(/<\/script/gi)).toHaveLength(1);
    expect(JSON.parse(body)).toEqual(data);
    expect(jsonScript([1], { 'x" onload="evil()': 'y' }).html).toBe(
      '<script type="application/json" data-invalid="y">[1]</script>',
    );
  });
});
