/**
 * Downloads next to the screens: the municipality's one-page A4 (on screen and as PDF, printed by
 * Chromium) and the Excel export — the same renderers as `grip report` and `grip export`.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { VIEWERS } from '../../access/policy.js';
import { devMonthOf } from '../../domain/forecast/yearEnd.js';
import { at } from '../../domain/indexing.js';
import { addMonths, formatMonthNl, isMonthKey } from '../../domain/month.js';
import { a4Data, a4Inputs, exportData } from '../../app/reports.js';
import { aggregateA4Refusal } from '../../app/disclosure.js';
import { a4Pdf, renderA4Html, xlsxExport } from '../../reports/index.js';
import { getJson, getPage } from '../route.js';
import { errorPage, qs } from '../layout.js';
import { html } from '../html.js';
import type { WebContext } from '../server.js';
import { filterYear } from '../filters.js';

/**
 * The A4 on screen is the print document itself; on screen it gets a bar with the way back, the PDF and the
 * months before and after (hidden when printed).
 */
export function withScreenNav(
  doc: string,
  code: string,
  name: string,
  month: string,
  lastMonth: string,
  earlier = true,
): string {
  const link = (href: string, label: string) => html`<a href="${href}">${label}</a>`;
  const bar = html`<nav class="screen-nav" aria-label="A4-overzicht">${link(`/gemeente/${code}`, `← Terug naar ${name}`)}${earlier ? link(`/gemeente/${code}/a4${qs({ month: addMonths(month, -1) })}`, `‹ ${formatMonthNl(addMonths(month, -1))}`) : ''}<strong>${formatMonthNl(month)}</strong>${addMonths(month, 1) <= lastMonth ? link(`/gemeente/${code}/a4${qs({ month: addMonths(month, 1) })}`, `${formatMonthNl(addMonths(month, 1))} ›`) : ''}${link(`/gemeente/${code}/a4.pdf${qs({ month })}`, 'Als PDF downloaden')}</nav>`;
  const style = html`<style>@media screen{body{background:#eef1f4;margin:0}.screen-nav{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;background:#0b3d5c;color:#fff;padding:10px 24px;font:15px system-ui,Arial,sans-serif}.screen-nav a{color:#fff}.screen-nav a:focus-visible{outline:3px solid #f5a623;outline-offset:2px}.sheet{background:#fff;margin:16px auto;padding:10mm 12mm;width:210mm;height:auto;min-height:297mm;box-shadow:0 1px 4px rgba(0,0,0,.2)}}@media print{.screen-nav{display:none}}</style>`;
  return doc
    .replace('</head>', html`${style}</head>`.html)
    .replace('<body>', html`<body>${bar}<main>`.html)
    .replace('</body>', '</main></body>');
}

const monthQuery = z.object({
  month: z
    .string()
    .refine(isMonthKey, 'maand als JJJJ-MM')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export function registerDownloads({ app, data }: WebContext): void {
  const a4 = async (code: string, month: string | undefined, protect: boolean) => {
    const m = month ?? devMonthOf(await data.asOf()); // the last complete month
    // Aggregate roles get the protected A4 (rounded counts, small categories under "overige").
    // Cached per data version and per state of what was entered since (KPIs and norms, budgets, measures: a
    // form or `grip kpi import` in another process bumps no data version): the A4 answers at once after the
    // first view and shows an entered KPI or budget at the next.
    const inputs = await a4Inputs(data.warehouse, Number(m.slice(0, 4)));
    const stamp = createHash('sha256').update(JSON.stringify(inputs)).digest('base64url');
    return data.cached(`a4:${code}:${m}:${protect}:${stamp}`, async () =>
      at(await a4Data(data.warehouse, { month: m, municipalities: [code], protect }), 0),
    );
  };

  /** Aggregate roles: the reason there is no A4 for them (app/disclosure.ts), or null. */
  const a4Refusal = async (code: string, month: string | undefined): Promise<string | null> => {
    const latest = devMonthOf(await data.asOf());
    const m = month ?? latest;
    const year = Number(m.slice(0, 4));
    const [py, previous] = await Promise.all([data.protectedYear(year), data.protectedYear(year - 1)]);
    return aggregateA4Refusal(py, previous, code, m, latest);
  };

  getPage(
    app,
    '/gemeente/:code/a4',
    {
      rule: { roles: VIEWERS, municipalityScoped: true },
      municipality: true,
      unknownMunicipality: (code) => `Gemeente ${code} bestaat niet.`,
      query: monthQuery,
      invalid: 'Ongeldige maand: gebruik JJJJ-MM.',
    },
    async ({ reply, v, q, muni }) => {
      const code = muni.code;
      if (!(await data.status()).declarationLines)
        return reply
          .code(404)
          .send(errorPage(v.user, 404, 'Nog geen gegevens — importeer declaraties met grip import.'));
      const refused = v.suppress ? await a4Refusal(code, q.month) : null;
      if (refused !== null) return reply.code(404).send(errorPage(v.user, 404, refused));
      const d = await a4(code, q.month, v.suppress);
      // Aggregate roles: no way to earlier months (only the latest stand, app/disclosure.ts).
      return withScreenNav(renderA4Html(d), code, muni.name, d.month, devMonthOf(await data.asOf()), !v.suppress);
    },
  );

  getJson(
    app,
    '/gemeente/:code/a4.pdf',
    {
      rule: { roles: VIEWERS, municipalityScoped: true },
      municipality: true,
      unknownMunicipality: (code) => `gemeente ${code} bestaat niet`,
      query: monthQuery,
      invalid: 'ongeldige maand: gebruik JJJJ-MM',
    },
    async ({ req, reply, v, q, muni }) => {
      const code = muni.code;
      if (!(await data.status()).declarationLines) return reply.code(404).send({ error: 'nog geen gegevens' });
      const refused = v.suppress ? await a4Refusal(code, q.month) : null;
      if (refused !== null) return reply.code(404).send({ error: refused });
      const d = await a4(code, q.month, v.suppress);
      let pdf: Buffer;
      try {
        pdf = await a4Pdf(d);
      } catch (e) {
        req.log.error(e);
        return reply.code(503).send({
          error:
            'PDF maken lukt niet: Chromium ontbreekt op de server (apt-get install chromium); de A4 is wel op het scherm te zien',
        });
      }
      reply.header('content-disposition', `attachment; filename="grip-a4-${code}-${d.month}.pdf"`);
      return reply.type('application/pdf').send(pdf);
    },
  );

  getJson(
    app,
    '/export.xlsx',
    {
      rule: { roles: ['beheerder', 'regio'] },
      query: z.object({ year: filterYear.optional() }),
      invalid: 'ongeldig jaar',
    },
    async ({ reply, q }) => {
      const year = q.year ?? (await data.currentYear());
      const buf = await xlsxExport(await exportData(data.warehouse, { year }));
      reply.header('content-disposition', `attachment; filename="grip-${year}.xlsx"`);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(buf);
    },
  );
}
