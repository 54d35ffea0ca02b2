import type { Command } from 'commander';
import { cbsMunicipality, normaliseMunicipalityCode } from '../../domain/codes/index.js';
import type { CoronaReport } from '../../domain/decisions/corona.js';
import { at } from '../../domain/indexing.js';
import { coronaLines, coronaReport } from '../../app/corona.js';
import { formatEuro } from '../../domain/money.js';
import { formatDateNl, formatMonthNl, isIsoDate } from '../../domain/month.js';
import { DB_OPTION_HELP, action, printJson, table, usage, withWarehouse } from '../context.js';

const muni = (code: string) => `${code} ${cbsMunicipality(code)?.name ?? ''}`.trim();

/** The check as text for people (Dutch). */
export function renderCorona(
  r: CoronaReport,
  detail = false,
  only?: string,
  names: ReadonlyMap<string, string> = new Map(),
): string {
  const prov = (code: string) => `${code} ${names.get(code) ?? ''}`.trim();
  const o: string[] = [];
  o.push(
    `Omzetderving ${formatMonthNl(at(r.months, 0))} – ${formatMonthNl(at(r.months, r.months.length - 1))} (peildatum ${formatDateNl(r.peildatum)})`,
  );
  o.push(
    `Derving per maand = gemiddelde gevalideerde omzet ${r.baselineYear} − gevalideerde omzet van die maand, nooit onder 0. ` +
      `Inhaalzorg voor die maanden, gedeclareerd na de peildatum, wordt verrekend.`,
  );
  if (!r.providers.length) {
    o.push(
      '',
      `Geen gevalideerde declaraties voor ${r.baselineYear}–${r.year} — importeer declaraties met \`grip import\`.`,
    );
    return o.join('\n') + '\n';
  }
  o.push('', only ? 'Per aanbieder (de hele aanbieder, alle gemeenten)' : 'Per aanbieder');
  o.push(
    table(
      [
        'aanbieder',
        `gem. omzet ${r.baselineYear}/mnd`,
        'derving voorlopig',
        'inhaalzorg later',
        'verrekend',
        'derving definitief',
        'inhaalzorg?',
        `boven gem. na juni`,
      ],
      r.providers.map((p) => [
        prov(p.provider),
        formatEuro(p.baselineCents),
        formatEuro(p.totals.provisionalLossCents),
        formatEuro(p.totals.lateCents),
        formatEuro(p.totals.nettedCents),
        formatEuro(p.totals.finalLossCents),
        p.catchUpDetected ? 'ja' : '-',
        formatEuro(p.laterExcessCents),
      ]),
      [false, true, true, true, true, true, false, true],
    ),
  );
  if (detail) {
    o.push('', 'Per aanbieder en maand');
    o.push(
      table(
        [
          'aanbieder',
          'maand',
          'gemiddelde',
          'omzet t/m peildatum',
          'later gedeclareerd',
          'derving voorlopig',
          'derving definitief',
          'verrekend',
        ],
        r.providers.flatMap((p) =>
          p.months.map((m) => [
            prov(p.provider),
            formatMonthNl(m.month, true),
            formatEuro(m.baselineCents),
            formatEuro(m.revenueCents),
            formatEuro(m.lateCents),
            formatEuro(m.provisionalLossCents),
            formatEuro(m.finalLossCents),
            formatEuro(m.nettedCents),
          ]),
        ),
        [false, false, true, true, true, true, true, true],
      ),
    );
  }
  o.push('', 'Per gemeente (derving verdeeld naar aandeel in de omzet van de aanbieder in ' + `${r.baselineYear})`);
  o.push(
    table(
      ['gemeente', 'aanbieders', 'derving voorlopig', 'inhaalzorg later', 'verrekend', 'derving definitief'],
      r.municipalities.map((m) => [
        muni(m.municipality),
        String(m.providers),
        formatEuro(m.provisionalLossCents),
        formatEuro(m.lateCents),
        formatEuro(m.nettedCents),
        formatEuro(m.finalLossCents),
      ]),
      [false, true, true, true, true, true],
    ),
  );
  o.push(
    'Derving en verrekening zijn per aanbieder bepaald en naar dit aandeel verdeeld; "inhaalzorg later" is wat voor de gemeente zelf na de peildatum is gedeclareerd.',
  );
  const t = r.totals;
  o.push(
    '',
    `Totaal${only ? ` ${muni(only)}` : ''}: derving voorlopig ${formatEuro(t.provisionalLossCents)}, verrekend met inhaalzorg ${formatEuro(t.nettedCents)}, definitief ${formatEuro(t.finalLossCents)}.`,
    '"Boven gem. na juni": omzet boven het gemiddelde in latere maanden; mogelijk ook inhaalzorg (signaal, niet verrekend).',
    'De regels waarop dit rust: grip corona --json (veld "lines"); de declaratieregels zelf via de herkomst (lineage).',
  );
  return o.join('\n') + '\n';
}

export { onlyMunicipality } from '../../app/corona.js';

export function registerCorona(program: Command): void {
  program
    .command('corona')
    .description(
      'Corona revenue-loss check (omzetderving) per provider and municipality, March–June, with catch-up care netted',
    )
    .option('--year <year>', 'the crisis year; the baseline is the year before', '2020')
    .option(
      '--peildatum <YYYY-MM-DD>',
      'date the compensation was fixed; later declarations for the months count as catch-up care (default: 30 September of --year)',
    )
    .option(
      '--municipality <code>',
      'only this municipality: its share, and the providers it has a share in (CBS code, e.g. 0482)',
    )
    .option('--detail', 'also print each provider per month')
    .option(
      '--json',
      'print the check and the lines it rests on (validated revenue per provider × municipality × month × declaration date) as JSON',
    )
    .option('--db <file|url>', DB_OPTION_HELP)
    .addHelpText(
      'after',
      `
Loss per provider and month = average validated monthly revenue of the year before − validated revenue
of that month (not below 0). Validated: not rejected in a JW325. Lines for March–June declared after the
peildatum are catch-up care; the compensation is netted against them so nothing is paid twice.

Examples:
  $ grip corona
  $ grip corona --detail --peildatum 2020-10-31
  $ grip corona --municipality 0482 --json`,
    )
    .action(
      action(
        async (opts: {
          year: string;
          peildatum?: string;
          municipality?: string;
          detail?: boolean;
          json?: boolean;
          db?: string;
        }) => {
          if (!/^\d{4}$/.test(opts.year)) throw usage(`--year moet een jaar zijn zoals 2020, niet "${opts.year}"`);
          const year = Number(opts.year);
          const peildatum = opts.peildatum ?? `${year}-09-30`;
          if (!isIsoDate(peildatum))
            throw usage(`--peildatum moet een datum JJJJ-MM-DD zijn, niet "${opts.peildatum}"`);
          let only: string | undefined;
          if (opts.municipality) {
            const code = normaliseMunicipalityCode(opts.municipality);
            if (!code || !cbsMunicipality(code))
              throw usage(`--municipality: "${opts.municipality}" is geen CBS-gemeentecode`);
            only = code;
          }
          // Always the whole region: a provider's loss is computed over all its municipalities, then split.
          let names = new Map<string, string>();
          const all = await withWarehouse(opts, async (w) => {
            names = new Map((await w.providers()).map((p) => [p.agb, p.name]));
            return coronaLines(w, year);
          });
          const { report, lines } = coronaReport(all, { year, peildatum, municipality: only });
          if (opts.json) return printJson({ ...report, lines });
          process.stdout.write(renderCorona(report, opts.detail, only, names));
        },
      ),
    );
}
