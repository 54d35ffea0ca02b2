/**
 * KPI's (`/kpi`): every KPI with its target (streefwaarde), critical value (signaalwaarde), time path and
 * traffic light; seed 004's tables 1 and 2 as the report shows them (from the stored SJT figures); a form for
 * partners (and beheerder/regio) to enter figures for their organisation, and a CSV paste import.
 *
 * Which KPIs a partner may enter: those of its organisation — the KPI id starts with the organisation's name
 * (`sjt-…` for SJT) or the definition's source names it. Computed KPIs (from the ledger) cannot be entered.
 */
import { z } from 'zod';
import { VIEWERS } from '../../access/policy.js';
import { isExample } from '../../domain/example.js';
import {
  REGION_SCOPE,
  cellKpiYears,
  importKpiCsv,
  kpiOverview,
  loadSeed004,
  protectKpiPaths,
  saveKpis,
  type ShownKpiPath,
} from '../../app/kpis.js';
import { cbsMunicipality, normaliseMunicipalityCode } from '../../domain/codes/index.js';
import {
  SEED_004_KPI_TABLES,
  formatDayMonthNl,
  formatKpiValue,
  type KpiDefinition,
} from '../../domain/steering/kpi.js';
import { kpiScopeKey } from '../../domain/steering/kpi.js';
import type { ProtectedYear } from '../../app/disclosure.js';
import type { Role } from '../../warehouse/warehouse.js';
import type { Viewer } from '../core.js';
import { getPage, postForm } from '../route.js';
import { addNav, page, reqPath, EXAMPLE_MARK } from '../layout.js';
import { html, joinHtml, type SafeHtml } from '../html.js';
import type { WebContext } from '../server.js';
import {
  FORM_STYLE,
  STEERING_EDITORS,
  auditChange,
  blankToUndefined,
  canEdit,
  csrfField,
  csvErrorNl,
  fail,
  formErrors,
} from './steering-common.js';
import { filterMunicipality } from '../filters.js';

const ENTRY_ROLES: readonly Role[] = ['beheerder', 'regio', 'partner'];

const query = z.object({
  municipality: z.preprocess(blankToUndefined, filterMunicipality.optional()),
});

const entryForm = z.object({
  kpi: z.preprocess(
    blankToUndefined,
    z.string({ required_error: 'kies een KPI' }).regex(/^[a-z0-9][a-z0-9-]*$/, 'onbekende KPI'),
  ),
  scope: z.preprocess(
    blankToUndefined,
    z
      .string({ required_error: 'kies gemeente of regio' })
      .refine(
        (s) => s === REGION_SCOPE || !!cbsMunicipality(normaliseMunicipalityCode(s) ?? ''),
        'kies een gemeente of regio',
      ),
  ),
  period: z.preprocess(
    blankToUndefined,
    z
      .string({ required_error: 'vul de peildatum in' })
      .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'een datum als 2025-04-30 (of 2025-04, of 2025)'),
  ),
  value: z.preprocess(
    blankToUndefined,
    z.string({ required_error: 'vul een waarde in' }).regex(/^-?\d+([.,]\d+)?$/, 'een getal, bijv. 42 of 12,5'),
  ),
});
const importForm = z.object({
  csv: z.preprocess(
    blankToUndefined,
    z.string({ required_error: 'plak de inhoud van het CSV-bestand' }).max(2_000_000, 'te groot (max. 2 MB)'),
  ),
});
const LABELS = { kpi: 'KPI', scope: 'Gemeente of regio', period: 'Peildatum', value: 'Waarde', csv: 'CSV' };

const scopeName = (key: string) => (key === REGION_SCOPE ? 'Regio' : (cbsMunicipality(key)?.name ?? key));
const light = (l: string | null | undefined) =>
  l ? html`<span class="light ${l}">${l}</span>` : html`<span class="note">geen norm</span>`;
const periodText = (p: string) => (/^\d{4}-\d{2}-\d{2}$/.test(p) ? formatDayMonthNl(p) : p);

/** Whether this user may enter figures for this KPI (partners: only their organisation's KPIs). */
export function mayEnter(v: Viewer, def: Pick<KpiDefinition, 'id' | 'source'>): boolean {
  const u = v.user;
  if (!u || !ENTRY_ROLES.includes(u.role)) return false;
  if (u.role !== 'partner') return true;
  const org = (u.organisation ?? '').trim().toLowerCase();
  if (!org) return false;
  return def.id.startsWith(`${org}-`) || (def.source ?? '').toLowerCase().includes(org);
}

/** Seed 004 table 1 as the report shows it, from the stored values (`–` where a value is missing). */
function seedTable1(get: (id: string, scope: string, period: string) => number | null): SafeHtml {
  const rows = SEED_004_KPI_TABLES.table1.rows;
  let lastYear = '';
  const body = joinHtml(
    rows.map((r) => {
      const y = r.date.slice(0, 4);
      const yearRow = y !== lastYear ? html`<tr><th colspan="4" scope="rowgroup">${y}</th></tr>` : '';
      lastYear = y;
      return html`${yearRow}<tr><td>${formatDayMonthNl(r.date, false)}</td><td class="n">${formatKpiValue(get('sjt-wachttijd', '0482', r.date), 'dagen')}</td><td class="n">${formatKpiValue(get('sjt-wachttijd', REGION_SCOPE, r.date), 'dagen')}</td><td class="n">${formatKpiValue(get('sjt-wachtlijst', '0482', r.date), 'cliënten')}</td></tr>`;
    }),
    '',
  );
  return html`<table id="tabel1"><caption>${SEED_004_KPI_TABLES.table1.title}</caption><thead><tr><th scope="col">Datum</th><th scope="col" class="n">Wachttijd (Alblasserdam)</th><th scope="col" class="n">Wachttijd (Regionaal)</th><th scope="col" class="n">Jeugdigen op de wachtlijst</th></tr></thead><tbody>${body}</tbody></table>`;
}

function seedTable2(get: (id: string, scope: string, period: string) => number | null): SafeHtml {
  const t2 = SEED_004_KPI_TABLES.table2;
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z]+/g, '-')
      .replace(/^-|-$/g, '');
  const fmt = (x: number | null) => (x === null ? '–' : String(x));
  return html`<table id="tabel2"><caption>${t2.title} — gemiddelde doorlooptijd in dagen, gemeten op 30 april</caption>
<thead><tr><th scope="col" rowspan="2">Traject</th>${t2.years.map((y) => html`<th scope="colgroup" colspan="2" class="n">${y}</th>`)}</tr><tr>${t2.years.map(() => html`<th scope="col" class="n">Alblasserdam</th><th scope="col" class="n">Regio</th>`)}</tr></thead>
<tbody>${t2.rows.map((r) => {
    const id = `sjt-doorlooptijd-${slug(r.trajectory)}`;
    return html`<tr><th scope="row">${r.trajectory}</th>${t2.years.map((y) => html`<td class="n">${fmt(get(id, '0482', `${y}-${t2.measuredOn}`))}</td><td class="n">${fmt(get(id, REGION_SCOPE, `${y}-${t2.measuredOn}`))}</td>`)}</tr>`;
  })}</tbody></table>`;
}

export function registerKpi({ app, deps, data }: WebContext): void {
  const w = deps.warehouse;
  addNav({ href: '/kpi', label: "KPI's", roles: VIEWERS });

  getPage(
    app,
    '/kpi',
    {
      rule: { roles: VIEWERS, municipalityScoped: true },
      query,
      invalid: 'Ongeldige filter: gemeente als CBS-code, bijv. 0482.',
    },
    async ({ req, v, q }) => {
      const requested = q.municipality ? normaliseMunicipalityCode(q.municipality)! : v.scope?.[0];
      const [overview, defs, munis] = await Promise.all([
        kpiOverview(w, { municipality: requested }),
        w.kpiDefinitions(),
        w.municipalities(),
      ]);
      // A viewer limited to some municipalities sees theirs and the region.
      const exact = overview.paths.filter(
        (p) => !v.scope || p.definition.scope.kind === 'region' || v.scope.includes(kpiScopeKey(p.definition)),
      );
      // For councils and partners the KPIs computed from the declarations — values, lights and trends — are
      // derived from the protected tables only (rounded counts, hidden cells), not from the exact ledger: the
      // exact ratios would give the exact counts back (app/kpis.ts protectKpiPaths).
      const youthsOf = (scope: string) =>
        scope === REGION_SCOPE
          ? munis.reduce((a, m) => a + m.youths, 0)
          : (munis.find((m) => m.code === scope)?.youths ?? 0);
      const protectedYears =
        v.suppress && (await data.status()).declarationLines
          ? new Map(
              await Promise.all(
                cellKpiYears(exact).map(async (y) => [String(y), await data.protectedYear(y)] as const),
              ),
            )
          : new Map<string, ProtectedYear>();
      const paths: ShownKpiPath[] = v.suppress
        ? protectKpiPaths(exact, protectedYears, youthsOf)
        : exact.map((p) => ({ ...p, hidden: new Set<string>() }));
      const hidden = (p: ShownKpiPath, period: string) => p.hidden.has(period);
      // `bare`: without a unit after the number (the time path, whose row shows the unit in its latest value);
      // % and € stay, they are part of the figure.
      const val = (p: ShownKpiPath, period: string, value: number | null, bare = false) => {
        const unit = p.definition.unit;
        if (hidden(p, period)) return unit === '%' ? '*' : bare ? '<10' : '<10 cliënten';
        return formatKpiValue(value, bare && unit !== '%' && unit !== '€' ? '' : unit);
      };
      const norm = (x: number | null | undefined, unit: string) =>
        x === null || x === undefined ? html`<span class="note">niet vastgesteld</span>` : formatKpiValue(x, unit);
      const row = (p: ShownKpiPath) => {
        const d = p.definition;
        const latest = p.latest;
        const path = joinHtml(
          p.points
            .slice(-8)
            .map(
              (pt) =>
                html`<span title="${pt.light ?? 'geen norm'}">${periodText(pt.period)}: ${pt.light ? html`<span class="light ${pt.light}" style="padding:0 6px">${val(p, pt.period, pt.value, true)}</span>` : val(p, pt.period, pt.value, true)}</span>`,
            ),
          html`<br>`,
        );
        return html`<tr><th scope="row">${d.name}${isExample(d.source) ? EXAMPLE_MARK : ''}${d.formula ? html`<br><span class="note">${d.formula}</span>` : ''}</th><td>${scopeName(kpiScopeKey(d))}</td><td class="n">${latest ? val(p, latest.period, latest.value) : '–'}<br><span class="note">${latest ? periodText(latest.period) : ''}</span></td>
<td class="n">${norm(d.target, d.unit)}</td><td class="n">${norm(d.critical, d.unit)}</td><td>${latest && !hidden(p, latest.period) ? light(latest.light) : '–'}</td><td>${p.trend ?? '–'}</td><td class="n" style="font-size:.85rem">${path}</td><td class="note">${d.source ?? ''}</td></tr>`;
      };
      const head = html`<thead><tr><th scope="col">KPI</th><th scope="col">Voor</th><th scope="col" class="n">Laatste waarde</th><th scope="col" class="n">Streef&shy;waarde</th><th scope="col" class="n">Signaal&shy;waarde</th><th scope="col">Stoplicht</th><th scope="col">Trend</th><th scope="col" class="n" title="In de eenheid van de laatste waarde">Tijdpad</th><th scope="col">Bron</th></tr></thead>`;
      const entered = paths.filter((p) => p.origin === 'ingevoerd');
      // Computed KPIs exist for every municipality and year: without a chosen municipality only the region's
      // are listed (the page stays readable); choosing one adds its own next to the region's.
      const computed = paths.filter(
        (p) =>
          p.origin === 'berekend' &&
          (p.definition.scope.kind === 'region' ||
            (requested !== undefined && kpiScopeKey(p.definition) === requested)),
      );
      const enteredTable = entered.length
        ? html`<div class="compact"><table><caption>Aangeleverde KPI's (partners, driemaal per jaar)</caption>${head}<tbody>${entered.map(row)}</tbody></table></div>`
        : html`<p class="empty">Nog geen aangeleverde KPI's.${canEdit(v) ? html` Laad de tabellen uit het Rekenkamer-rapport 2021 met de knop hieronder of met <code>grip kpi load-rekenkamer</code>.` : ''}</p>`;
      const computedTable = computed.length
        ? html`<div class="compact"><table><caption>Berekend uit de declaraties en begrotingsregels</caption>${head}<tbody>${computed.map(row)}</tbody></table></div>`
        : '';

      // Seed 004 tables from the stored values (latest per period).
      const all = await w.kpiValues({ latestOnly: true, scopes: v.scope ? [...v.scope, REGION_SCOPE] : undefined });
      const byKey = new Map(all.map((x) => [`${x.kpiId}|${x.scope}|${x.period}`, x.value]));
      const get = (id: string, scope: string, period: string) => byKey.get(`${id}|${scope}|${period}`) ?? null;
      const hasSeed = all.some((x) => x.kpiId === 'sjt-wachttijd');
      const seedTables =
        hasSeed && (!v.scope || v.scope.includes('0482'))
          ? html`<h2>Rekenkamer-rapport 2021 (preventie in het jeugdbeleid, Alblasserdam): tabellen 1 en 2</h2>${seedTable1(get)}${seedTable2(get)}
<p class="note">Zoals in het rapport, uit de opgeslagen cijfers van SJT. Het rapport: "Er zijn echter geen afspraken gemaakt over doelen of kritische waarden van deze cijfers." — daarom hebben deze KPI's geen stoplicht tot er een streef- en signaalwaarde is vastgesteld.</p>`
          : '';
      const seedButton =
        canEdit(v) && !hasSeed
          ? html`<form method="post" action="/kpi/rekenkamer">${csrfField(v)}<button type="submit">Tabellen uit het Rekenkamer-rapport laden</button></form>`
          : '';

      // Entry form: the stored definitions this user may enter figures for.
      const enterable = defs.filter((d) => mayEnter(v, d));
      const kpiIds = [...new Map(enterable.map((d) => [d.id, d])).values()];
      const scopeKeys = [...new Set(enterable.map((d) => kpiScopeKey(d)))];
      const entry =
        v.user && ENTRY_ROLES.includes(v.user.role)
          ? kpiIds.length
            ? html`<h2 id="invoer">Cijfers invoeren${v.user.role === 'partner' && v.user.organisation ? html` voor ${v.user.organisation}` : ''}</h2>
<form class="edit" method="post" action="/kpi/invoer">${csrfField(v)}
<label>KPI<select name="kpi" required>${kpiIds.map((d) => html`<option value="${d.id}">${d.name} (${d.unit})</option>`)}</select></label>
<label>Voor<select name="scope" required>${scopeKeys.map((s) => html`<option value="${s}">${scopeName(s)}</option>`)}</select></label>
<label>Peildatum<input name="period" type="date" required></label>
<label>Waarde<input name="value" inputmode="decimal" required placeholder="42"></label>
<div><button type="submit">Opslaan</button></div></form>
<p class="note">Een nieuwe waarde voor een peildatum die al een waarde heeft, vervangt die in het overzicht; de oude blijft bewaard.</p>`
            : html`<p class="note">Er zijn nog geen KPI's waarvoor u cijfers kunt invoeren${v.user.role === 'partner' ? ' namens uw organisatie' : ''}.</p>`
          : '';
      const importBox = canEdit(v)
        ? html`<details class="box"><summary>KPI's importeren (CSV plakken)</summary><p class="note">Kolommen: <code>kpi,municipality,period,value,name,unit,direction,target,critical,source</code>; met <code>name</code> wordt de KPI ook (opnieuw) gedefinieerd met streef- en signaalwaarde.</p>
<form class="edit" method="post" action="/kpi/import">${csrfField(v)}<label class="wide">CSV<textarea name="csv" rows="6"></textarea></label><div><button type="submit">Importeren</button></div></form></details>`
        : '';
      const shownMunis = munis.filter((m) => !v.scope || v.scope.includes(m.code));
      const filter = html`<form class="filters" method="get" action="/kpi" aria-label="Filters"><label>Gemeente<select name="municipality">${v.scope ? '' : html`<option value="">De regio (berekende KPI's per gemeente: kies een gemeente)</option>`}${shownMunis.map((m) => html`<option value="${m.code}"${m.code === requested ? ' selected' : ''}>${m.name}</option>`)}</select></label><button type="submit">Toon</button></form>`;
      return page(
        v.user,
        "KPI's",
        html`${FORM_STYLE}<h1>KPI's met streef- en signaalwaarde</h1>${filter}
<p class="note">Stoplicht: <span class="light groen">groen</span> streefwaarde gehaald; <span class="light oranje">oranje</span> tussen streef- en signaalwaarde; <span class="light rood">rood</span> signaalwaarde bereikt of overschreden. Zonder streef- of signaalwaarde is er geen stoplicht.</p>
${enteredTable}${seedButton}${seedTables}${entry}${importBox}${computedTable}`,
        { path: reqPath(req), crumbs: [{ href: '/', label: 'Overzicht' }, { label: "KPI's" }] },
      );
    },
  );

  postForm(
    app,
    '/kpi/invoer',
    { rule: { roles: ENTRY_ROLES }, body: entryForm, invalid: (e) => formErrors(e, LABELS) },
    async ({ req, reply, v, body: x }) => {
      const scope = x.scope === REGION_SCOPE ? REGION_SCOPE : normaliseMunicipalityCode(x.scope)!;
      const def = (await w.kpiDefinitions()).find((d) => d.id === x.kpi && kpiScopeKey(d) === scope);
      if (!def)
        return fail(
          reply,
          v,
          400,
          `Niet opgeslagen: KPI "${x.kpi}" bestaat niet voor ${scopeName(scope)}. Een KPI wordt eerst gedefinieerd (CSV-import door regio of beheerder).`,
        );
      if (!mayEnter(v, def))
        return fail(
          reply,
          v,
          403,
          `U mag voor KPI "${def.name}" geen cijfers invoeren: die hoort niet bij uw organisatie.`,
        );
      const value = Number(x.value.replace(',', '.'));
      const who = v.user!.organisation ? `${v.user!.username} (${v.user!.organisation})` : v.user!.username;
      await saveKpis(
        w,
        [],
        [{ kpiId: def.id, scope, period: x.period, value, enteredBy: who, enteredAt: new Date().toISOString() }],
      );
      await auditChange(
        deps,
        req,
        'kpi.value',
        scope === REGION_SCOPE ? null : scope,
        `${def.id} ${x.period} = ${value}`,
      );
      return reply.redirect('/kpi#invoer', 303);
    },
  );

  postForm(
    app,
    '/kpi/import',
    { rule: { roles: STEERING_EDITORS }, body: importForm, invalid: (e) => formErrors(e, LABELS) },
    async ({ req, reply, v, body }) => {
      let n: { definitions: number; values: number };
      try {
        n = await importKpiCsv(w, body.csv, 'geplakte CSV', { enteredBy: v.user!.username });
      } catch (e) {
        return fail(reply, v, 400, csvErrorNl(e));
      }
      await auditChange(
        deps,
        req,
        'kpi.import',
        null,
        `${n.definitions} definities, ${n.values} waarden uit geplakte CSV`,
      );
      return reply.redirect('/kpi', 303);
    },
  );

  app.post('/kpi/rekenkamer', { config: { rule: { roles: STEERING_EDITORS } } }, async (req, reply) => {
    const n = await loadSeed004(w, { enteredBy: req.gripUser!.username });
    await auditChange(
      deps,
      req,
      'kpi.load-rekenkamer',
      '0482',
      `${n.definitions} definities, ${n.values} waarden (Rekenkamer-rapport 2021, tabellen 1 en 2)`,
    );
    return reply.redirect('/kpi#tabel1', 303);
  });
}
