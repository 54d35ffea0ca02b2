/**
 * The web app (first version): a Dutch region overview and a page per municipality, server-rendered,
 * with a JSON API behind them. Every figure comes from the warehouse interface and the forecast service.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { z } from 'zod';
import { regionForecast } from '../app/forecast.js';
import { PRODUCT_CATEGORIES, REFERRERS, cbsMunicipality } from '../domain/codes/index.js';
import { formatEuroRounded } from '../domain/money.js';
import { addMonths, formatDateNl, formatMonthNl } from '../domain/month.js';
import type { Warehouse } from '../warehouse/warehouse.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });

function page(title: string, body: string): string {
  return `<!doctype html><html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} — Grip</title><style>
body{font-family:system-ui,sans-serif;margin:0;color:#1a1a1a;background:#fafafa}header{background:#0b3d5c;color:#fff;padding:12px 24px}
header a{color:#fff;text-decoration:none;font-weight:600}main{padding:16px 24px;max-width:1100px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:6px 10px;border-bottom:1px solid #ddd;text-align:left}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}caption{text-align:left;font-weight:600;padding:8px 0}
.bar{background:#2b6f9e;height:14px}.open{background:repeating-linear-gradient(45deg,#9cc3dd,#9cc3dd 4px,#fff 4px,#fff 8px)}
.empty{padding:24px;background:#fff;border:1px solid #ddd}a{color:#0b3d5c}
</style></head><body><header><a href="/">Grip · jeugdhulp Zuid-Holland Zuid</a></header><main>${body}</main></body></html>`;
}

const EMPTY = '<p class="empty">Nog geen gegevens — importeer declaraties met <code>grip import</code>.</p>';

export function buildApp({ warehouse }: { warehouse: Warehouse }): FastifyInstance {
  const app = Fastify({ logger: false });
  const currentYear = async () => {
    const st = await warehouse.status();
    return { st, year: Number((st.lastMonth ?? new Date().toISOString()).slice(0, 4)) };
  };

  app.get('/api/health', async () => ({ ok: true }));

  app.get('/api/costs', async (req, reply) => {
    const q = z
      .object({ by: z.string().default('month'), year: z.coerce.number().int().optional(), municipality: z.string().regex(/^\d{4}$/).optional() })
      .safeParse(req.query);
    if (!q.success) return reply.code(400).send({ error: `ongeldige parameters: ${q.error.issues.map((i) => i.path.join('.') + ' ' + i.message).join('; ')}` });
    const dims = q.data.by.split(',').filter(Boolean);
    const allowed = ['municipality', 'month', 'declarationMonth', 'category', 'product', 'provider', 'referrer', 'year'];
    if (dims.some((d) => !allowed.includes(d))) return reply.code(400).send({ error: `onbekende dimensie; kies uit ${allowed.join(', ')}` });
    return warehouse.costs({ by: dims as never, year: q.data.year, municipalities: q.data.municipality ? [q.data.municipality] : undefined });
  });

  app.get('/', async (req, reply) => {
    const q = yearQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).type('text/html').send(page('Fout', '<p>Ongeldig jaar.</p>'));
    const { st, year: latest } = await currentYear();
    reply.type('text/html');
    if (!st.declarationLines) return page('Regio-overzicht', `<h1>Regio-overzicht</h1>${EMPTY}`);
    const year = q.data.year ?? latest;
    const [munis, costs, prev, months, forecast] = await Promise.all([
      warehouse.municipalities(),
      warehouse.costs({ by: ['municipality'], year }),
      warehouse.costs({ by: ['municipality'], year: year - 1, to: `${year - 1}-${(st.lastMonth ?? '').slice(5, 7) || '12'}` }),
      warehouse.costs({ by: ['month'], year }),
      regionForecast(warehouse, year),
    ]);
    const byCode = new Map(costs.map((c) => [c.municipality, c]));
    const prevBy = new Map(prev.map((c) => [c.municipality, c]));
    const fBy = new Map(forecast.municipalities.map((f) => [f.municipality, f]));
    const rows = munis
      .map((m) => {
        const c = byCode.get(m.code);
        const f = fBy.get(m.code);
        const p = prevBy.get(m.code);
        const trend = c && p && p.amountCents ? `${(((c.amountCents / p.amountCents) - 1) * 100).toFixed(1).replace('.', ',')}%` : '—';
        return `<tr><td><a href="/gemeente/${m.code}?year=${year}">${esc(m.name)}</a></td><td class="n">${formatEuroRounded(c?.amountCents ?? 0)}</td>
<td class="n">${f ? formatEuroRounded(f.forecastCents) : '—'}</td><td class="n">${f ? `${formatEuroRounded(f.lowCents)} – ${formatEuroRounded(f.highCents)}` : '—'}</td>
<td class="n">${trend}</td><td class="n">${c && m.youths ? formatEuroRounded(Math.round((c.amountCents * 1000) / m.youths)) : '—'}</td></tr>`;
      })
      .join('');
    const max = Math.max(1, ...months.map((m) => m.amountCents));
    const lastDecl = st.lastDeclarationDate ?? '';
    const openFrom = lastDecl ? addMonths(lastDecl.slice(0, 7), -3) : '9999-12';
    const chart = months
      .map(({ month = '', amountCents }) => ({ month, amountCents }))
      .map((m) => {
        const open = m.month > openFrom;
        return `<tr><td>${formatMonthNl(m.month)}</td><td style="width:60%"><div class="bar ${open ? 'open' : ''}" style="width:${((m.amountCents / max) * 100).toFixed(1)}%"></div></td><td class="n">${formatEuroRounded(m.amountCents)}${open ? ' <small>(nog niet volledig gedeclareerd)</small>' : ''}</td></tr>`;
      })
      .join('');
    return page(
      'Regio-overzicht',
      `<h1>Regio-overzicht ${year}</h1><p>Stand per ${formatDateNl(forecast.asOf)}. Prognose regio: <strong>${formatEuroRounded(forecast.total.forecastCents)}</strong> (80%-interval ${formatEuroRounded(forecast.total.lowCents)} – ${formatEuroRounded(forecast.total.highCents)}).</p>
<table><caption>Gemeenten</caption><thead><tr><th>Gemeente</th><th class="n">Kosten tot nu</th><th class="n">Prognose jaareinde</th><th class="n">80%-interval</th><th class="n">Trend t.o.v. vorig jaar</th><th class="n">Per 1.000 jeugdigen</th></tr></thead><tbody>${rows}</tbody></table>
<table><caption>Kosten per productiemaand (regio)</caption><tbody>${chart}</tbody></table>`,
    );
  });

  app.get('/gemeente/:code', async (req, reply) => {
    const code = (req.params as { code: string }).code;
    const q = yearQuery.safeParse(req.query);
    reply.type('text/html');
    if (!/^\d{4}$/.test(code) || !cbsMunicipality(code)) return reply.code(404).send(page('Niet gevonden', `<p>Gemeente ${esc(code)} bestaat niet.</p>`));
    if (!q.success) return reply.code(400).send(page('Fout', '<p>Ongeldig jaar.</p>'));
    const { year: latest } = await currentYear();
    const year = q.data.year ?? latest;
    const m = [code];
    const [cats, provs, refs, total] = await Promise.all([
      warehouse.costs({ by: ['category'], year, municipalities: m }),
      warehouse.costs({ by: ['provider'], year, municipalities: m }),
      warehouse.costs({ by: ['referrer'], year, municipalities: m }),
      warehouse.costs({ by: [], year, municipalities: m }),
    ]);
    const t = total[0];
    if (!t || !t.lines) return page(cbsMunicipality(code)!.name, `<h1>${esc(cbsMunicipality(code)!.name)}</h1>${EMPTY}`);
    const list = (rows: typeof cats, label: (k: string) => string, key: 'category' | 'provider' | 'referrer') =>
      rows
        .sort((a, b) => b.amountCents - a.amountCents)
        .slice(0, 10)
        .map((r) => `<tr><td>${esc(label(r[key] ?? ''))}</td><td class="n">${formatEuroRounded(r.amountCents)}</td><td class="n">${r.clients}</td></tr>`)
        .join('');
    return page(
      cbsMunicipality(code)!.name,
      `<h1>${esc(cbsMunicipality(code)!.name)} — ${year}</h1><p>Kosten tot nu: <strong>${formatEuroRounded(t.amountCents)}</strong>, ${t.clients} cliënten, ${formatEuroRounded(Math.round(t.amountCents / Math.max(1, t.clients)))} per cliënt.</p>
<table><caption>Per productcategorie</caption><thead><tr><th>Categorie</th><th class="n">Kosten</th><th class="n">Cliënten</th></tr></thead><tbody>${list(cats, (k) => `${k} ${PRODUCT_CATEGORIES[k] ?? ''}`, 'category')}</tbody></table>
<table><caption>Grootste aanbieders</caption><thead><tr><th>Aanbieder (AGB)</th><th class="n">Kosten</th><th class="n">Cliënten</th></tr></thead><tbody>${list(provs, (k) => k, 'provider')}</tbody></table>
<table><caption>Verwijzers</caption><thead><tr><th>Verwijzer</th><th class="n">Kosten</th><th class="n">Cliënten</th></tr></thead><tbody>${list(refs, (k) => REFERRERS[k] ?? k, 'referrer')}</tbody></table>`,
    );
  });
  return app;
}
