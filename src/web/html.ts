/**
 * Safe HTML by construction. Markup is only ever built with the `html` tagged template, which escapes every
 * interpolated value unless it is already `SafeHtml`; the result is `SafeHtml` again, a branded type that a
 * plain string cannot pass for. `page()` accepts nothing else, so text from a declaration, a form or the
 * warehouse cannot reach the browser unescaped.
 *
 * Interpolation rules: `SafeHtml` is inserted as it is; an array is inserted item by item (each by these
 * rules, nothing between them); `null`, `undefined` and `false` insert nothing; anything else is turned into
 * a string and escaped (`& < > " '`), which is right both in text and in quoted attribute values.
 *
 * `raw()` is the one way around: for trusted constants only (fixed markup, a rendered chart's SVG). Inline
 * JSON goes through `jsonScript()`, which cannot be ended early by a `</script>` inside the data.
 */

declare const safeHtmlBrand: unique symbol;

/** A piece of HTML that is safe to send: built by `html`, `raw`, `joinHtml` or `jsonScript`. */
export interface SafeHtml {
  readonly [safeHtmlBrand]: true;
  /** The markup. */
  readonly html: string;
  toString(): string;
}

class SafeHtmlImpl {
  constructor(readonly html: string) {}
  toString(): string {
    return this.html;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML text and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  // Any value is escaped as the text it prints as.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

export function isSafeHtml(value: unknown): value is SafeHtml {
  return value instanceof SafeHtmlImpl;
}

/** What may be interpolated into `html`: text and numbers are escaped, SafeHtml is kept, arrays are flattened. */
export type HtmlValue = SafeHtml | string | number | bigint | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtmlImpl) return value.html;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeHtml(value);
}

/** The tagged template: `html\`<td>${name}</td>\`` escapes `name`; nested `html` and arrays of it are kept. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtmlImpl(out) as unknown as SafeHtml;
}

/** Trusted markup as it is. Only for constants and output of a trusted renderer — never for user data. */
export function raw(trusted: string): SafeHtml {
  return new SafeHtmlImpl(trusted) as unknown as SafeHtml;
}

/** Items joined by a separator (text separators are escaped like any value). */
export function joinHtml(items: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  const sep = render(separator);
  return raw(items.map(render).join(sep));
}

/**
 * A JSON data block, `<script type="application/json" …>`: `<` is written as `\u003c` (and U+2028/2029
 * escaped), so no `</script>` or `<!--` in the data can end the block; `JSON.parse` reads it back unchanged.
 */
export function jsonScript(data: unknown, attributes: Record<string, string> = {}): SafeHtml {
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  const attrs = Object.entries({ type: 'application/json', ...attributes }).map(
    ([k, v]) => html` ${raw(/^[a-z-]+$/.test(k) ? k : 'data-invalid')}="${v}"`,
  );
  return html`<script${attrs}>${raw(json)}</script>`;
}
