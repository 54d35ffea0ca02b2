/**
 * Productieverantwoording (`/productieverantwoording`, analysts and controllers): the providers' year-end
 * production statements against what was declared for the production year — per provider, municipality and
 * product, the differences of at least a threshold, and the providers that declared without a statement
 * (app/statements.ts, the same as `grip statements compare`). A gemeente user sees its own municipalities only,
 * on both sides. Amounts per provider, not per client; aggregate roles (raad) have no access.
 */
import { z } from 'zod';
import { ANALYSTS } from '../../access/policy.js';
import { compareStatements } from '../../app/statements.js';
import { cbsMunicipality } from '../../domain/codes/index.js';
import { parseEuros } from '../../domain/money.js';
import { providerNameWithCode } from '../../domain/providers.js';
import { scoped } from '../core.js';
import { getPage } from '../route.js';
import { addNav, errorPage, euro, html, page, pct, reqPath } from '../layout.js';
import type { WebContext } from '../server.js';

const query = z.object({
  year: z.coerce
    .number()
    .int()
    .min(2000)
    .max(2100)
    .optional()
    .or(z.literal('').transform(() => undefined)),
  drempel: z.string().max(20).optional(),
  alle: z.literal('1').optional(),
});

const INVALID = 'Ongeldige keuze: jaar (bijv. 2025) en drempel in euro’s.';

const LEVEL_NL = { provider: 'aanbieder (totaal)', municipality: 'gemeente', product: 'product' } as const;

export function registerStatements({ app, data }: WebContext): void {
  addNav({ href: '/productieverantwoording', label: 'Productieverantwoording', roles: ANALYSTS });

  getPage(
    app,
    '/productieverantwoording',
    { rule: { roles: ANALYSTS, municipalityScoped: true }, query, invalid: INVALID },
    async ({ req, reply, v, q }) => {
      let thresholdCents = 100_000;
      try {
        if (q.drempel) thresholdCents = parseEuros(q.drempel.replace(/\./g, '').replace(',', '.'));
      } catch {
        return reply
          .code(400)
          .send(errorPage(v.user, 400, 'Ongeldige drempel: geef een bedrag in euro’s, bijv. 1000 of 2.500,00.'));
      }
      if (thresholdCents < 0) return reply.code(400).send(errorPage(v.user, 400, INVALID));
      const year = q.year ?? (await data.currentYear()) - 1;
      const municipalities = scoped(v);
      const [c, names] = await Promise.all([
        compareStatements(data.warehouse, { year, thresholdCents, municipalities }),
        data.providerNames(),
      ]);
      const list = q.alle ? c.rows : c.above;
      const muni = (m: string | null) => (m ? (cbsMunicipality(m)?.name ?? m) : '');
      const rows = list.map(
        (r) =>
          html`<tr${r.level === 'provider' ? html` class="total"` : ''}><th scope="row">${providerNameWithCode(r.provider, names)}</th><td>${LEVEL_NL[r.level]}</td><td>${muni(r.municipality)}</td><td>${r.product ?? ''}</td><td class="n">${euro(r.statementCents)}</td><td class="n">${euro(r.declaredCents)}</td><td class="n ${r.differenceCents > 0 ? 'over' : r.differenceCents < 0 ? 'under' : ''}">${r.differenceCents > 0 ? '+' : ''}${euro(r.differenceCents)}</td><td class="n">${r.share === null ? '—' : pct(r.share)}</td><td><code>${r.source}</code></td></tr>`,
      );
      const form = html`<form class="filters" method="get" action="/productieverantwoording"><label>Productiejaar<input name="year" value="${year}" size="5"></label><label>Drempel (€)<input name="drempel" value="${q.drempel ?? '1000'}" size="8"></label><label><input type="checkbox" name="alle" value="1"${q.alle ? html` checked` : ''}> alle regels</label><button type="submit">Toon</button></form>`;
      const body = c.rows.length
        ? html`<div class="cards"><div class="card"><div class="k">Verantwoord ${year}</div><div class="v">${euro(c.totals.statementCents)}</div><div class="s">${c.rows.filter((r) => r.level === 'provider').length} aanbieders met een productieverantwoording</div></div>
<div class="card"><div class="k">Gedeclareerd door die aanbieders</div><div class="v">${euro(c.totals.declaredCents)}</div><div class="s">netto (debet − credit), productiejaar ${year}</div></div>
<div class="card"><div class="k">Verschil</div><div class="v">${c.totals.differenceCents > 0 ? '+' : ''}${euro(c.totals.differenceCents)}</div><div class="s">${c.above.length} regels boven de drempel van ${euro(thresholdCents)}</div></div></div>
<div class="compact"><table><caption>${q.alle ? 'Alle regels' : `Verschillen van ten minste ${euro(thresholdCents)}, grootste eerst`}: verantwoord − gedeclareerd</caption><thead><tr><th scope="col">Aanbieder</th><th scope="col">Niveau</th><th scope="col">Gemeente</th><th scope="col">Product</th><th scope="col" class="n">Verantwoord</th><th scope="col" class="n">Gedeclareerd</th><th scope="col" class="n">Verschil</th><th scope="col" class="n">t.o.v. gedeclareerd</th><th scope="col">Bron (bestand:regel)</th></tr></thead><tbody>${rows}</tbody></table></div>
${c.missing.length ? html`<table><caption>Wel gedeclareerd in ${year}, geen productieverantwoording ingelezen (${c.missing.length})</caption><thead><tr><th scope="col">Aanbieder</th><th scope="col" class="n">Gedeclareerd</th></tr></thead><tbody>${c.missing.slice(0, 25).map((m) => html`<tr><th scope="row">${providerNameWithCode(m.provider, names)}</th><td class="n">${euro(m.declaredCents)}</td></tr>`)}</tbody></table>` : ''}`
        : html`<p class="empty">Nog geen productieverantwoording ${year} ingelezen — lees die in met <code>grip statements import bestand.csv</code> (CSV of XLSX: provider, municipality, year, product, amountEuros).</p>`;
      return page(
        v.user,
        'Productieverantwoording',
        html`<h1>Productieverantwoording ${year}</h1>
<p class="note">De productieverantwoording van de aanbieders (in te leveren vóór 15 april) naast wat ze voor productiejaar ${year} hebben gedeclareerd, per aanbieder, gemeente en product (productcategorie of productcode).${municipalities ? ' Alleen uw gemeente(n), aan beide kanten.' : ''}</p>
${form}${body}`,
        { path: reqPath(req) },
      );
    },
  );
}
