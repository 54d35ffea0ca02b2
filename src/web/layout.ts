/**
 * The page shell and small HTML helpers of the Dutch web app. Server-rendered HTML, no client framework:
 * pages work without JavaScript, print well and are accessible (landmarks, labels, captions, focus styles).
 */
import type { FastifyRequest } from 'fastify';
import { PALETTE, renderSvg, type ChartOption } from '../charts/echarts.js';
import { CHARTS_URL, ECHARTS_URL } from './pages/static.js';
import type { Cents } from '../domain/money.js';
import { compactEuro, euro, euroRounded, int, pct, signedPct } from '../domain/format/nl.js';
import { escapeHtml, html, jsonScript, joinHtml, raw, type SafeHtml } from './html.js';
import { showCount } from '../domain/suppression.js';
import { cbsMunicipality } from '../domain/codes/index.js';
import type { Role } from '../warehouse/warehouse.js';
import type { Viewer, WebUser } from './core.js';
import type { ProviderNames } from '../domain/providers.js';

export { html, raw, joinHtml, type SafeHtml } from './html.js';

export interface NavItem {
  href: string;
  label: string;
  roles: readonly Role[];
}

/** The main menu; feature modules add their pages here. */
export const NAV: NavItem[] = [
  { href: '/', label: 'Overzicht', roles: ['beheerder', 'regio', 'gemeente', 'raad', 'partner'] },
  { href: '/vergelijken', label: 'Vergelijken', roles: ['beheerder', 'regio', 'gemeente', 'raad', 'partner'] },
];

/** Menu order: from seeing, to explaining, to steering, to deciding; beheer last. Unlisted items go after. */
const NAV_ORDER = [
  '/',
  '/vergelijken',
  '/begroting',
  '/kostendrijvers',
  '/maatregelen',
  '/kpi',
  '/verdeling',
  '/scenario',
  '/besluitvorming',
  '/datakwaliteit',
  '/corona',
  '/beheer/audit',
  '/beheer/gebruikers',
];
const navRank = (href: string) => (NAV_ORDER.includes(href) ? NAV_ORDER.indexOf(href) : NAV_ORDER.length);

export function addNav(item: NavItem): void {
  if (NAV.some((n) => n.href === item.href)) return;
  NAV.push(item);
  NAV.sort((a, b) => navRank(a.href) - navRank(b.href));
}

const ROLE_LABEL: Record<Role, string> = {
  beheerder: 'beheerder',
  regio: 'regio-analist',
  gemeente: 'gemeente',
  raad: 'raad',
  partner: 'partner',
};

const STYLE = `
:root{--ink:#1a1a1a;--muted:#555;--brand:#0b3d5c;--line:#d0d7de;--bg:#f6f7f9;--ok:#1e7b34;--warn:#9a6700;--bad:#b42318}
*{box-sizing:border-box}.skip{position:absolute;left:-9999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:9}body{font-family:system-ui,Segoe UI,Arial,sans-serif;margin:0;color:var(--ink);background:var(--bg);line-height:1.45}
a{color:var(--brand)}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
header.top{background:var(--brand);color:#fff;display:flex;flex-wrap:wrap;align-items:center;gap:4px 20px;padding:10px 24px}
header.top a{color:#fff;text-decoration:none}header.top .brand{font-weight:700;font-size:1.05rem;margin-right:12px}
header.top nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:4px 16px;margin:0;padding:0}
header.top nav a[aria-current=page]{text-decoration:underline;text-underline-offset:4px}
header.top .who{margin-left:auto;font-size:.9rem;display:flex;gap:10px;align-items:center}
header.top .who button{background:transparent;color:#fff;border:1px solid #fff;border-radius:4px;padding:2px 8px;cursor:pointer}
main{padding:16px 24px 40px;max-width:1232px;min-width:0}
.tw{overflow-x:auto;max-width:100%;margin:.4em 0 1em;border:1px solid var(--line);background:#fff}.tw>table{margin:0;border:0}
.tw th:first-child,.tw td:first-child{position:sticky;left:0;z-index:1;background:#fff;box-shadow:1px 0 0 var(--line)}
.tw thead th:first-child{background:#eef2f6}.tw tfoot th:first-child,.tw tfoot td:first-child{background:#f3f5f8}
.tw:focus-visible{outline:3px solid #f5a623;outline-offset:2px}.amt{text-decoration:underline dotted;text-underline-offset:3px;cursor:help}
.grid2>*,.cards>*{min-width:0}a.term{color:inherit;text-decoration:underline dotted;text-underline-offset:3px}
dl.terms{background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px 16px}dl.terms dt{font-weight:650;margin-top:10px}dl.terms dd{margin:2px 0 6px 0}dl.terms dt:target{background:#fff3c4}pre,code{overflow-wrap:anywhere;white-space:pre-wrap}
h1{font-size:1.5rem;margin:.4em 0}h2{font-size:1.15rem;margin:1.4em 0 .4em}
.crumbs{font-size:.9rem;color:var(--muted)}.crumbs a{color:var(--muted)}
table{border-collapse:collapse;width:100%;background:#fff;margin:.4em 0 1em;border:1px solid var(--line)}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
thead th{background:#eef2f6;font-weight:600;vertical-align:bottom}thead th.n{white-space:normal;min-width:6em}tfoot td{font-weight:600;background:#f3f5f8}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
th.grp{text-align:center;border-bottom:1px solid var(--line)}td.n .note,td.n.wrap{white-space:normal}td.n .vb{display:table;margin:2px 0 0 auto}.nw{white-space:nowrap}
.compact>.tw>table{font-size:.875rem}.compact>.tw th,.compact>.tw td{padding:5px 7px}.compact>.tw thead th.n{min-width:5em}.lines td:first-child{overflow-wrap:anywhere;min-width:9em}
caption{text-align:left;font-weight:600;padding:8px 0;caption-side:top}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(210px,1fr));gap:12px;margin:12px 0}
.card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 14px}
.card .k{font-size:.85rem;color:var(--muted)}.card .v{font-size:1.35rem;font-weight:650;font-variant-numeric:tabular-nums;white-space:nowrap}
.card .s{font-size:.85rem;color:var(--muted)}.card .v.note{white-space:normal;font-size:1rem;font-weight:400}
figure{margin:8px 0 16px;background:#fff;border:1px solid var(--line);border-radius:6px;padding:8px;overflow-x:auto}
figure svg{max-width:100%;height:auto}figure.live>svg{display:none}.chart-live{width:100%}figcaption{font-size:.85rem;color:var(--muted)}
.grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
.empty{padding:24px;background:#fff;border:1px dashed var(--line);border-radius:6px}
form.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end;background:#fff;border:1px solid var(--line);border-radius:6px;padding:10px 14px;margin:8px 0}
form.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
input,select,textarea{font:inherit;padding:4px 6px;border:1px solid #8c959f;border-radius:4px;background:#fff;color:var(--ink)}
button,.button{font:inherit;background:var(--brand);color:#fff;border:0;border-radius:4px;padding:6px 12px;cursor:pointer;text-decoration:none;display:inline-block}
.note{font-size:.9rem;color:var(--muted)}.vb{display:inline-block;font-size:.7rem;font-weight:600;color:#8a4b00;background:#fff4e0;border:1px solid #e3b56b;border-radius:3px;padding:0 4px;margin-left:4px;vertical-align:middle;text-transform:uppercase;letter-spacing:.02em}.story{background:#fff;border-left:4px solid var(--brand);padding:8px 14px;margin:8px 0}
.light{display:inline-block;border-radius:10px;padding:1px 9px;font-size:.85rem;font-weight:600;color:#fff}
.light.groen{background:var(--ok)}.light.oranje{background:var(--warn)}.light.rood{background:var(--bad)}
.over{color:var(--bad)}.under{color:var(--ok)}.dl{font-size:.85rem;margin-left:8px}
@media (max-width:700px){main{padding:10px}.grid2{grid-template-columns:1fr}th,td{padding:4px 6px}}
@media print{@page{size:A4;margin:12mm}header.top nav,header.top .who,form.filters,.dl,.noprint{display:none}body{background:#fff;font-size:10pt}main{max-width:none;padding:0}
.tw{overflow:visible;border:0}.tw th:first-child,.tw td:first-child{position:static;box-shadow:none}table,.compact>.tw>table{font-size:8.5pt}th,td,.compact>.tw th,.compact>.tw td{padding:3px 5px}
figure{break-inside:avoid;overflow:visible}figure.live>svg{display:block}.chart-live{display:none}figure svg{width:100%}.grid2{grid-template-columns:1fr 1fr}.cards{grid-template-columns:repeat(4,1fr)}}
`;

/**
 * The menu of a user. A gemeente user gets its own municipalities' pages first; with one municipality that
 * page replaces the region overview (which would show one row).
 */
export function menuFor(user: Pick<WebUser, 'role' | 'municipalities'>): { href: string; label: string }[] {
  const items = NAV.filter((n) => n.roles.includes(user.role));
  if (user.role !== 'gemeente' || !user.municipalities.length) return items;
  const own = user.municipalities.map((code) => ({
    href: `/gemeente/${code}`,
    label: cbsMunicipality(code)?.name ?? code,
  }));
  return [...own, ...items.filter((n) => !(n.href === '/' && user.municipalities.length === 1))];
}

export interface PageOptions {
  /** Current path, to mark the menu item. */
  path?: string;
  /** Reload the page after this many seconds (a page that says its figures are being computed). */
  refreshSeconds?: number;
  crumbs?: { href?: string; label: string }[];
}

/** A whole page: the shell (menu, user, breadcrumbs) around `body`, which is SafeHtml (built with `html`). */
export function page(user: WebUser | null, title: string, body: SafeHtml, opts: PageOptions = {}): string {
  const items = user ? menuFor(user) : [];
  const nav = items.map(
    (n) => html`<li><a href="${n.href}"${opts.path === n.href ? raw(' aria-current="page"') : ''}>${n.label}</a></li>`,
  );
  const who = user
    ? html`<div class="who"><a href="/begrippen"${opts.path === '/begrippen' ? raw(' aria-current="page"') : ''}>Begrippen</a><span>${user.username} · ${ROLE_LABEL[user.role]}</span><form method="post" action="/logout"><input type="hidden" name="_csrf" value="${user.csrfToken}"><button type="submit">Uitloggen</button></form></div>`
    : '';
  const crumbs = opts.crumbs?.length
    ? html`<nav class="crumbs" aria-label="Kruimelpad">${joinHtml(
        opts.crumbs.map((c) => (c.href ? html`<a href="${c.href}">${c.label}</a>` : c.label)),
        ' › ',
      )}</nav>`
    : '';
  const content = String(body);
  return html`<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
${opts.refreshSeconds ? html`<meta http-equiv="refresh" content="${Math.max(1, Math.round(opts.refreshSeconds))}">` : ''}<title>${title} — Grip</title><style>${raw(STYLE)}</style></head><body>
<a class="skip" href="#inhoud">Naar de inhoud</a>
<header class="top"><a class="brand" href="/">Grip · jeugdhulp</a>${nav.length ? html`<nav aria-label="Hoofdmenu"><ul>${nav}</ul></nav>` : ''}${who}</header>
<main id="inhoud">${crumbs}${scrollTables(content)}</main>${content.includes('<figure data-chart>') ? html`<script src="${ECHARTS_URL}" defer></script><script src="${CHARTS_URL}" defer></script>` : ''}</body></html>`
    .html;
}

/**
 * Every table sits in its own horizontally scrolling box (keyboard-focusable, named after the table's
 * caption), so a wide table scrolls inside its card instead of widening the page; its first column stays put.
 * Works on finished markup (a SafeHtml's text), adding only escaped attribute text.
 */
export function scrollTables(body: string): SafeHtml {
  return raw(
    body
      .replace(
        /<table(?=[\s>])([^>]*)>(\s*<caption>([\s\S]*?)<\/caption>)?/g,
        (_m, attrs: string, cap: string | undefined, capText: string | undefined) => {
          const label =
            (capText ?? '')
              .replace(/<[^>]*>/g, '')
              .replace(/\s+/g, ' ')
              .trim() || 'Tabel';
          return `<div class="tw" tabindex="0" role="region" aria-label="${escapeHtml(label)}"><table${attrs}>${cap ?? ''}`;
        },
      )
      .replace(/<\/table>/g, '</table></div>'),
  );
}

/** A page whose figures are still being computed: says so, shows progress, and reloads itself. */
export function pendingPage(user: WebUser | null, title: string, message: string, path?: string): string {
  return page(
    user,
    title,
    html`<h1>${title}</h1><div class="empty" role="status"><p><strong>Bezig met berekenen…</strong> ${message}</p><progress aria-label="Bezig met berekenen"></progress></div>`,
    { path, refreshSeconds: 3 },
  );
}

export const EMPTY_STATE = raw(
  '<p class="empty">Nog geen gegevens — importeer declaraties met <code>grip import</code> (of start de demo met <code>npm run demo</code>).</p>',
);

/** A figure's label that links to its definition on the Begrippen page (`/begrippen#id`). */
export function term(label: string, id: string): SafeHtml {
  return html`<a class="term" href="/begrippen#${id}">${label}</a>`;
}

/** An ECharts chart rendered on the server as inline SVG, with a text alternative. */
const svgCache = new Map<string, string>();

export function chart(option: ChartOption, width: number, height: number, label: string): SafeHtml {
  // Rendering is CPU work; the same chart (same data, size and label) is rendered once.
  const key = `${width}x${height}|${label}|${JSON.stringify(option)}`;
  let svg = svgCache.get(key);
  if (svg === undefined) {
    svg = renderSvg(option, width, height).replace('<svg ', `<svg role="img" aria-label="${escapeHtml(label)}" `);
    if (svgCache.size >= 500) svgCache.clear();
    svgCache.set(key, svg);
  }
  // Bar and line charts of amounts also come alive in the browser (static/grip-charts.js): the option as
  // JSON (functions drop out; the script adds Dutch euro formatters) in a data block it cannot break out of.
  const live = interactiveChart(option) ? jsonScript({ color: PALETTE, ...option }, { class: 'chart-data' }) : null;
  // The SVG is ECharts' own output (labels escaped by its SVG renderer), a trusted renderer.
  return html`<figure${live ? raw(' data-chart') : ''}>${raw(svg)}${live}<figcaption>${label}</figcaption></figure>`;
}

/** Bar and line charts of amounts (not the waterfall with its invisible base, not the Sankey). */
export function interactiveChart(option: ChartOption): boolean {
  const series = [option.series ?? []].flat() as { type?: string; silent?: boolean }[];
  return series.length > 0 && series.every((s) => (s.type === 'bar' || s.type === 'line') && !s.silent);
}

export { compactEuro, euro, int, pct, signedPct };

/**
 * An amount compact where space is tight — `€ 9,7 mln` from a million up, else whole euros — with the full
 * amount on hover (title) and for screen readers.
 */
export function euroShort(c: Cents | null | undefined): SafeHtml {
  if (c === null || c === undefined) return html`—`;
  const short = compactEuro(c);
  const full = euroRounded(c);
  return short === full ? html`${full}` : html`<span class="amt" title="${full}">${short}</span>`;
}

/**
 * An 80% interval, compact (`€ 9,1 – 10,2 mln`; with more decimals when one would hide the range), the full
 * amounts on hover.
 */
export function rangeShort(lowCents: Cents, highCents: Cents): SafeHtml {
  const full = `${euroRounded(lowCents)} – ${euroRounded(highCents)}`;
  let lo = compactEuro(lowCents);
  let hi = compactEuro(highCents);
  if (lo === euroRounded(lowCents) && hi === euroRounded(highCents)) return html`${full}`;
  for (let extra = 1; lo === hi && extra <= 2; extra++) {
    lo = compactEuro(lowCents, extra);
    hi = compactEuro(highCents, extra);
  }
  const unit = / (mln|mld)$/.exec(hi)?.[1];
  const short =
    unit && lo.endsWith(` ${unit}`) && lowCents >= 0
      ? `${lo.slice(0, -unit.length - 1)} – ${hi.replace(/^€ /, '')}`
      : `${lo} – ${hi}`;
  return html`<span class="amt" title="${full}">${short}</span>`;
}

/**
 * A range (`-€ 510.976 – € 474.541`) that may break after its dash when its column is narrow: put it in a
 * `td class="n wrap"`. Each end stays whole; on a wide screen it is one line.
 */
export function rangeWrap(low: SafeHtml | string, high: SafeHtml | string): SafeHtml {
  return html`<span class="nw">${low} –</span> <span class="nw">${high}</span>`;
}

/** A provider as people know it: its name from the register with the AGB code on hover, else "AGB 12345678". */
export function providerHtml(code: string, names: ProviderNames): SafeHtml {
  const n = names.get(code);
  return n ? html`<span title="AGB ${code}">${n}</span>` : html`AGB ${code}`;
}

/** One provider or several joined by "+" (a double registration across providers), each by name. */
export function providersHtml(codes: string, names: ProviderNames): SafeHtml {
  return joinHtml(
    codes.split('+').map((c) => providerHtml(c.trim(), names)),
    ' + ',
  );
}

/** The mark of an example value ("voorbeeld"): a budget, measure or KPI figure entered to show how Grip works. */
export const EXAMPLE_MARK = raw('<span class="vb" title="Voorbeeldwaarde, geen echt cijfer">voorbeeld</span>');

/** A client count as the viewer may see it: exact, or suppressed/rounded for councils. */
export function count(v: Viewer, n: number): string {
  if (!v.suppress) return int(n);
  const s = showCount(n);
  return typeof s === 'number' ? int(s) : s;
}

/** An amount resting on `clients` clients, hidden for councils when that is a small number. */
export function amountFor(v: Viewer, cents: Cents, clients: number): SafeHtml {
  if (v.suppress && clients < 10) return raw('<span title="Te weinig cliënten om te tonen">*</span>');
  return html`${euro(cents)}`;
}

/** Keeps filters in the URL: builds a query string from the current values, overriding some. */
export function qs(
  base: Record<string, string | number | undefined | null>,
  over: Record<string, string | number | undefined | null> = {},
): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...base, ...over }))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}

export function errorPage(user: WebUser | null, status: number, message: string): string {
  const title = status === 404 ? 'Niet gevonden' : status === 403 ? 'Geen toegang' : 'Fout';
  return page(user, title, html`<h1>${title}</h1><p>${message}</p><p><a href="/">Terug naar het overzicht</a></p>`);
}

export const reqPath = (req: FastifyRequest) => req.url.split('?')[0];
