/**
 * Vergelijken: the municipalities on the same definitions — cost per 1,000 youths, clients per 1,000 youths,
 * cost per client, share per category group — with the region average and each one's position. Figures of
 * another municipality (for a gemeente user) and all figures for aggregate roles are protected.
 */
import { VIEWERS } from '../../access/policy.js';
import { categoryGroup } from '../../domain/codes/index.js';
import { decimal } from '../../domain/format/nl.js';
import { at } from '../../domain/indexing.js';
import { scoped } from '../core.js';
import { EMPTY_STATE, euro, html, int, joinHtml, page, pct, qs, reqPath, term } from '../layout.js';
import { getPage } from '../route.js';
import { perClient, perThousand, shareOf, sumProtected, type Hidden } from '../../domain/disclosure.js';
import { COMBINED_FILTER_NOTE, HIDDEN, municipalityFigures, protectedEuro } from '../protected.js';
import type { WebContext } from '../server.js';
import { filterQuery, filtersForm, yearsAndProviders } from './overview.js';

export interface CompareRow {
  code: string;
  name: string;
  youths: number;
  /** Null when hidden (protected figures). */
  amountCents: number | null;
  clients: number | null;
  hidden: Hidden;
  perThousandYouthsCents: number | null;
  clientsPerThousand: number | null;
  costPerClientCents: number | null;
  groupShares: Record<string, number | null>;
}

export const GROUPS = ['ambulant en overig', 'verblijf', 'ggz', 'jeugdbescherming/-reclassering', 'crisis'];

/** Ranks 1..n by a value (1 = highest); null values get no rank. */
export function ranks(values: (number | null)[]): (number | null)[] {
  const order = values
    .map((v, i) => ({ v, i }))
    .filter((x) => x.v !== null)
    .sort((a, b) => (b.v as number) - (a.v as number));
  const out: (number | null)[] = values.map(() => null);
  order.forEach((x, r) => (out[x.i] = r + 1));
  return out;
}

export function registerCompare({ app, data }: WebContext): void {
  getPage(app, '/vergelijken', { rule: { roles: VIEWERS }, query: filterQuery }, async ({ req, v, q }) => {
    const st = await data.status();
    if (!st.declarationLines)
      return page(v.user, 'Vergelijken', html`<h1>Vergelijken</h1>${EMPTY_STATE}`, { path: '/vergelijken' });
    const year = q.year ?? (await data.currentYear());
    const f = { ...q, year };
    // Comparing is on the same definitions for everyone. Every municipality sees the others' costs (the AB
    // papers publish each one's share of the regional result), but another municipality's figures — and
    // every figure for aggregate roles — come from the protected tables: counts rounded, small cells hidden.
    const scope = scoped(v);
    const [munis, byMuni, byCat, yp] = await Promise.all([
      data.warehouse.municipalities(),
      data.costs({ by: ['municipality'], year, category: f.category, provider: f.provider }),
      data.costs({ by: ['municipality', 'category'], year, category: f.category, provider: f.provider }),
      yearsAndProviders(data, v),
    ]);
    const anyProtected = v.suppress || !!scope;
    const prot = anyProtected ? await municipalityFigures(data, year, f) : null;
    if (anyProtected && !prot)
      return page(
        v.user,
        'Vergelijken',
        html`<h1>Gemeenten vergelijken — ${year}</h1>${filtersForm('/vergelijken', f, yp.years, yp.providers)}<p class="note">${COMBINED_FILTER_NOTE}</p>`,
        { path: reqPath(req) },
      );
    const py = anyProtected ? await data.protectedYear(year) : null;
    const isProtected = (code: string) => v.suppress || (!!scope && !scope.includes(code));
    const rows: CompareRow[] = munis.map((m) => {
      const p = isProtected(m.code) ? (prot!.by.get(m.code) ?? { clients: 0, amountCents: 0, hidden: null }) : null;
      const c = byMuni.find((r) => r.municipality === m.code);
      const amount = p ? p.amountCents : (c?.amountCents ?? 0);
      const clients = p ? p.clients : (c?.clients ?? 0);
      const shares: Record<string, number | null> = Object.fromEntries(GROUPS.map((g) => [g, 0]));
      if (p && f.provider) for (const g of GROUPS) shares[g] = null;
      else if (p) {
        // From the protected municipality × category cells: a group is hidden when one of its cells is.
        const t = py!.cross('category');
        const cols = f.category ? t.cols.filter((k) => k === f.category) : t.cols;
        for (const k of cols) {
          const g = categoryGroup(k);
          shares[g] = sumProtected([shares[g] ?? 0, t.cell(m.code, k).amountCents]);
        }
      } else
        for (const r of byCat.filter((x) => x.municipality === m.code))
          shares[categoryGroup(r.category ?? '')]! += r.amountCents;
      for (const g of GROUPS) shares[g] = shareOf(shares[g] ?? 0, amount);
      return {
        code: m.code,
        name: m.name,
        youths: m.youths,
        amountCents: amount,
        clients,
        hidden: p ? p.hidden : null,
        perThousandYouthsCents: amount === null || !m.youths ? null : Math.round(perThousand(amount, m.youths)!),
        clientsPerThousand: perThousand(clients, m.youths),
        costPerClientCents: perClient(amount, clients),
        groupShares: shares,
      };
    });
    // The region: the protected region total for aggregate roles; sums of counts are of published counts.
    const totAmount = prot && v.suppress ? prot.total.amountCents : sumProtected(rows.map((r) => r.amountCents));
    const totYouths = rows.reduce((s, r) => s + r.youths, 0);
    const totClients = sumProtected(rows.map((r) => r.clients));
    const rankPer = ranks(rows.map((r) => r.perThousandYouthsCents));
    const visible = rows.map((r, i) => ({ r, rank: at(rankPer, i) }));
    const cnt = (r: Pick<CompareRow, 'clients' | 'hidden'>) =>
      r.clients === null ? (r.hidden === 'primary' ? '<10' : HIDDEN) : int(r.clients);
    const line = (
      name: string,
      r: Pick<
        CompareRow,
        | 'amountCents'
        | 'clients'
        | 'hidden'
        | 'perThousandYouthsCents'
        | 'clientsPerThousand'
        | 'costPerClientCents'
        | 'groupShares'
      >,
      rank: number | null,
      href: string | null,
    ) =>
      html`<tr><th scope="row">${href ? html`<a href="${href}">${name}</a>` : name}</th><td class="n">${protectedEuro(r.amountCents)}</td><td class="n">${r.perThousandYouthsCents === null ? '—' : euro(r.perThousandYouthsCents)}</td>
<td class="n">${rank ?? '—'}</td><td class="n">${cnt(r)}</td><td class="n">${r.clientsPerThousand === null ? '—' : decimal(r.clientsPerThousand, 1)}</td>
<td class="n">${r.costPerClientCents === null ? '—' : euro(r.costPerClientCents)}</td>${GROUPS.map((g) => html`<td class="n">${pct(r.groupShares[g])}</td>`)}</tr>`;
    const regionShares = Object.fromEntries(
      GROUPS.map((g) => [
        g,
        shareOf(
          sumProtected(
            rows.map((r) =>
              r.groupShares[g] === null || r.amountCents === null ? null : r.groupShares[g]! * r.amountCents,
            ),
          ),
          totAmount,
        ),
      ]),
    );
    const n = Math.max(1, rows.length);
    const avg = {
      amountCents: totAmount === null ? null : Math.round(totAmount / n),
      clients: totClients === null ? null : Math.round(totClients / n),
      hidden: null,
      perThousandYouthsCents: totAmount === null || !totYouths ? null : Math.round(perThousand(totAmount, totYouths)!),
      clientsPerThousand: perThousand(totClients, totYouths),
      costPerClientCents: perClient(totAmount, totClients),
      groupShares: regionShares,
    };
    return page(
      v.user,
      'Vergelijken',
      html`<h1>Gemeenten vergelijken — ${year}</h1>${filtersForm('/vergelijken', f, yp.years, yp.providers)}
<div class="compact"><table><caption>Dezelfde definities voor elke gemeente: kosten naar productiemaand (netto), jeugdigen 0–17 jaar</caption>
<thead><tr><th scope="col" rowspan="2">Gemeente</th><th scope="col" rowspan="2" class="n">${term('Kosten', 'kosten')}</th><th scope="col" rowspan="2" class="n">${term('Kosten per 1.000 jeugdigen', 'kosten-per-1000')}</th><th scope="col" rowspan="2" class="n">Positie</th><th scope="col" rowspan="2" class="n">${term('Cliënten', 'clienten')}</th><th scope="col" rowspan="2" class="n">Cliënten per 1.000 jeugdigen</th><th scope="col" rowspan="2" class="n">${term('Kosten per cliënt', 'kosten-per-client')}</th><th scope="colgroup" colspan="${GROUPS.length}" class="grp">Aandeel in de kosten</th></tr>
<tr>${GROUPS.map((g) => html`<th scope="col" class="n" title="Aandeel ${g}">${joinHtml(g.split('/'), html`/<wbr>`)}</th>`)}</tr></thead>
<tbody>${visible.map(({ r, rank }) => line(r.name, r, rank, !scope || scope.includes(r.code) ? `/gemeente/${r.code}${qs({ year })}` : null))}</tbody>
<tfoot>${line('Regiogemiddelde', avg, null, null)}</tfoot></table></div>
<p class="note">Positie: 1 = hoogste kosten per 1.000 jeugdigen van de ${int(rows.length)} gemeenten. Het regiogemiddelde is gewogen (totaal van de regio gedeeld door het totaal aantal jeugdigen of cliënten). Cliënten tellen per gemeente; een cliënt die in twee gemeenten zorg kreeg telt in beide.</p>`,
      { path: reqPath(req) },
    );
  });
}
