/**
 * Vergelijken: the municipalities on the same definitions — cost per 1,000 youths, clients per 1,000 youths,
 * cost per client, share per category group — with the region average and each one's position.
 */
import { VIEWERS } from '../../access/policy.js';
import { categoryGroup } from '../../domain/codes/index.js';
import { scoped, viewer } from '../core.js';
import { EMPTY_STATE, count, errorPage, esc, euro, int, page, pct, qs, reqPath } from '../layout.js';
import type { WebContext } from '../server.js';
import { filterQuery, filtersForm, yearsAndProviders } from './overview.js';

export interface CompareRow {
  code: string;
  name: string;
  youths: number;
  amountCents: number;
  clients: number;
  perThousandYouthsCents: number | null;
  clientsPerThousand: number | null;
  costPerClientCents: number | null;
  groupShares: Record<string, number>;
}

export const GROUPS = ['ambulant en overig', 'verblijf', 'ggz', 'jeugdbescherming/-reclassering', 'crisis'];

/** Ranks 1..n by a value (1 = highest); null values get no rank. */
export function ranks(values: (number | null)[]): (number | null)[] {
  const order = values.map((v, i) => ({ v, i })).filter((x) => x.v !== null).sort((a, b) => (b.v as number) - (a.v as number));
  const out: (number | null)[] = values.map(() => null);
  order.forEach((x, r) => (out[x.i] = r + 1));
  return out;
}

export function registerCompare({ app, data }: WebContext): void {
  app.get('/vergelijken', { config: { rule: { roles: VIEWERS } } }, async (req, reply) => {
    const v = viewer(req);
    reply.type('text/html');
    const q = filterQuery.safeParse(req.query);
    if (!q.success) return reply.code(400).send(errorPage(v.user, 400, 'Ongeldige filter.'));
    const st = await data.status();
    if (!st.declarationLines) return page(v.user, 'Vergelijken', `<h1>Vergelijken</h1>${EMPTY_STATE}`, { path: '/vergelijken' });
    const year = q.data.year ?? (await data.currentYear());
    const f = { ...q.data, year };
    // Comparing is on the same definitions for everyone; a gemeente user sees the others only as the
    // region average, never one by one.
    const scope = scoped(v);
    const [munis, byMuni, byCat, yp] = await Promise.all([
      data.warehouse.municipalities(),
      data.costs({ by: ['municipality'], year, category: f.category, provider: f.provider }),
      data.costs({ by: ['municipality', 'category'], year, category: f.category, provider: f.provider }),
      yearsAndProviders(data, v),
    ]);
    const rows: CompareRow[] = munis.map((m) => {
      const c = byMuni.find((r) => r.municipality === m.code);
      const amount = c?.amountCents ?? 0;
      const clients = c?.clients ?? 0;
      const shares: Record<string, number> = Object.fromEntries(GROUPS.map((g) => [g, 0]));
      for (const r of byCat.filter((x) => x.municipality === m.code)) shares[categoryGroup(r.category ?? '')] += r.amountCents;
      for (const g of GROUPS) shares[g] = amount ? shares[g] / amount : 0;
      return {
        code: m.code,
        name: m.name,
        youths: m.youths,
        amountCents: amount,
        clients,
        perThousandYouthsCents: m.youths ? Math.round((amount * 1000) / m.youths) : null,
        clientsPerThousand: m.youths ? (clients * 1000) / m.youths : null,
        costPerClientCents: clients ? Math.round(amount / clients) : null,
        groupShares: shares,
      };
    });
    const totAmount = rows.reduce((s, r) => s + r.amountCents, 0);
    const totYouths = rows.reduce((s, r) => s + r.youths, 0);
    const totClients = rows.reduce((s, r) => s + r.clients, 0);
    const rankPer = ranks(rows.map((r) => r.perThousandYouthsCents));
    const visible = rows.map((r, i) => ({ r, rank: rankPer[i] })).filter(({ r }) => !scope || scope.includes(r.code));
    const line = (name: string, r: Pick<CompareRow, 'amountCents' | 'clients' | 'perThousandYouthsCents' | 'clientsPerThousand' | 'costPerClientCents' | 'groupShares'>, rank: number | null, href: string | null) =>
      `<tr><th scope="row">${href ? `<a href="${esc(href)}">${esc(name)}</a>` : esc(name)}</th><td class="n">${euro(r.amountCents)}</td><td class="n">${r.perThousandYouthsCents === null ? '—' : euro(r.perThousandYouthsCents)}</td>
<td class="n">${rank ?? '—'}</td><td class="n">${count(v, r.clients)}</td><td class="n">${r.clientsPerThousand === null || (v.suppress && r.clients < 10) ? '—' : r.clientsPerThousand.toLocaleString('nl-NL', { maximumFractionDigits: 1 })}</td>
<td class="n">${r.costPerClientCents === null || (v.suppress && r.clients < 10) ? '—' : euro(r.costPerClientCents)}</td>${GROUPS.map((g) => `<td class="n">${pct(r.groupShares[g])}</td>`).join('')}</tr>`;
    const regionShares = Object.fromEntries(GROUPS.map((g) => [g, totAmount ? rows.reduce((s, r) => s + r.groupShares[g] * r.amountCents, 0) / totAmount : 0]));
    const avg = {
      amountCents: Math.round(totAmount / Math.max(1, rows.length)),
      clients: Math.round(totClients / Math.max(1, rows.length)),
      perThousandYouthsCents: totYouths ? Math.round((totAmount * 1000) / totYouths) : null,
      clientsPerThousand: totYouths ? (totClients * 1000) / totYouths : null,
      costPerClientCents: totClients ? Math.round(totAmount / totClients) : null,
      groupShares: regionShares,
    };
    return page(
      v.user,
      'Vergelijken',
      `<h1>Gemeenten vergelijken — ${year}</h1>${filtersForm('/vergelijken', f, yp.years, yp.providers)}
<table><caption>Dezelfde definities voor elke gemeente: kosten naar productiemaand (netto), jeugdigen 0–17 jaar</caption>
<thead><tr><th scope="col">Gemeente</th><th scope="col" class="n">Kosten</th><th scope="col" class="n">Per 1.000 jeugdigen</th><th scope="col" class="n">Positie</th><th scope="col" class="n">Cliënten</th><th scope="col" class="n">Cliënten per 1.000 jeugdigen</th><th scope="col" class="n">Kosten per cliënt</th>${GROUPS.map((g) => `<th scope="col" class="n">Aandeel ${esc(g)}</th>`).join('')}</tr></thead>
<tbody>${visible.map(({ r, rank }) => line(r.name, r, rank, `/gemeente/${r.code}${qs({ year })}`)).join('')}</tbody>
<tfoot>${line('Regiogemiddelde', avg, null, null)}</tfoot></table>
<p class="note">Positie: 1 = hoogste kosten per 1.000 jeugdigen van de ${int(rows.length)} gemeenten. Het regiogemiddelde is gewogen (totaal van de regio gedeeld door het totaal aantal jeugdigen of cliënten). Cliënten tellen per gemeente; een cliënt die in twee gemeenten zorg kreeg telt in beide.</p>`,
      { path: reqPath(req) },
    );
  });
}
