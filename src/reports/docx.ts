/** The Burap draft as a Word document (the `docx` package writes the OOXML), same content as the HTML/PDF. */
/* eslint-disable @typescript-eslint/no-deprecated -- TextRun takes `IRunOptions | string`, so the rule reads its `bold`/`italics` options as String.prototype.bold/italics */
import {
  AlignmentType,
  BorderStyle,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { formatDateNl } from '../domain/month.js';
import type { BurapData, CauseLine } from '../app/reports.js';
import { COVERAGE_HEADERS, MEASURE_HEADERS, coverageRows, measureRows, ownVsShareIntro } from '../app/reports.js';
import { euro, pct, signedEuro, signedPct } from '../domain/format/nl.js';

const FONT = 'Arial';

function para(
  text: string,
  opts: { bold?: boolean; size?: number; italics?: boolean; color?: string } = {},
): Paragraph {
  return new Paragraph({
    spacing: { after: 120 },
    children: [
      new TextRun({
        text,
        bold: opts.bold,
        italics: opts.italics,
        size: opts.size ?? 20,
        color: opts.color,
        font: FONT,
      }),
    ],
  });
}

function heading(text: string, level: 1 | 2 | 3): Paragraph {
  const map = { 1: HeadingLevel.HEADING_1, 2: HeadingLevel.HEADING_2, 3: HeadingLevel.HEADING_3 } as const;
  return new Paragraph({
    heading: map[level],
    spacing: { before: level === 1 ? 0 : 240, after: 120 },
    children: [
      new TextRun({ text, font: FONT, bold: true, color: '0B3D5C', size: level === 1 ? 32 : level === 2 ? 26 : 22 }),
    ],
  });
}

function cell(text: string, opts: { right?: boolean; bold?: boolean; header?: boolean } = {}): TableCell {
  return new TableCell({
    shading: opts.header ? { type: ShadingType.CLEAR, color: 'auto', fill: 'E6EEF4' } : undefined,
    margins: { top: 40, bottom: 40, left: 80, right: 80 },
    children: [
      new Paragraph({
        alignment: opts.right ? AlignmentType.RIGHT : AlignmentType.LEFT,
        children: [new TextRun({ text, bold: opts.bold || opts.header, size: 17, font: FONT })],
      }),
    ],
  });
}

/** A table: the first column left-aligned, the others right-aligned (numbers); the last row bold when `totalRow`. */
function table(headers: string[], rows: string[][], totalRow = false): Table {
  const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
    rows: [
      new TableRow({ tableHeader: true, children: headers.map((t, i) => cell(t, { header: true, right: i > 0 })) }),
      ...rows.map(
        (r, ri) =>
          new TableRow({
            children: r.map((t, i) => cell(t, { right: i > 0, bold: totalRow && ri === rows.length - 1 })),
          }),
      ),
    ],
  });
}

function causeRows(lines: CauseLine[]): string[][] {
  return lines.map((c) => [
    c.label,
    euro(c.beforeCents),
    euro(c.afterCents),
    signedEuro(c.changeCents),
    signedEuro(c.volumeCents),
    signedEuro(c.intensityCents),
    signedEuro(c.priceCents),
  ]);
}

/** Section 5: the measures — planned, expected, realised — and the coverage of the savings targets. */
function measuresDocx(d: BurapData): (Paragraph | Table)[] {
  const m = d.measures;
  const cov = coverageRows(m, euro, pct);
  return [
    ...(m.lines.length
      ? [table(MEASURE_HEADERS(m.year), measureRows(m, euro))]
      : [para(`Geen lopende maatregelen in ${m.year}.`)]),
    ...(cov.length
      ? [
          para(`Dekking van de taakstelling ${m.year}: per gemeente tegen de eigen taakstelling, risicogewogen.`),
          table(COVERAGE_HEADERS, cov),
        ]
      : [para(`Geen taakstelling voor ${m.year} ingevoerd.`)]),
    para(`Gerealiseerd: ${m.method} Maatregelen met overlappend bereik meten dezelfde verandering; tel ze niet op.`, {
      size: 16,
      italics: true,
    }),
    para(`${m.planMethod} De verwachte besparing telt mee in de meerjarenprognose.`, { size: 16, italics: true }),
  ];
}

/** The Burap draft as a DOCX file (Buffer). */
export async function burapDocx(d: BurapData): Promise<Buffer> {
  const t = d.total;
  const hasRes = d.rows.some((r) => r.reservationCents !== null);
  const money = (c: number | null) => (c === null ? '—' : euro(c));
  const causeHeaders = (first: string) => [
    first,
    d.previousPeriodLabel,
    d.periodLabel,
    'verschil',
    'cliënten',
    'inzet per cliënt',
    'tarief',
  ];
  const children = [
    heading(`Concept ${d.ordinal} bestuursrapportage jeugdhulp ${d.year}`, 1),
    para(
      `Regio ${d.regionName} · periode ${d.periodLabel} · stand per ${formatDateNl(d.asOf)} · gemaakt met Grip op ${formatDateNl(d.generatedOn)}. Alle cijfers in dit concept zijn berekend uit de declaraties.`,
      { italics: true, color: '555555' },
    ),
    heading('1. Samenvatting', 2),
    ...d.summary.map((s) => para(s)),
    heading('2. Prognose per gemeente', 2),
    table(
      ['Gemeente', `Begroting ${d.year}`, `Prognose ${d.year}`, '80%-bandbreedte', 'Verschil', '%'],
      [
        ...d.rows.map((r) => [
          `${r.municipality} ${r.name}`,
          r.budgetCents === null ? 'geen begroting ingevoerd' : euro(r.budgetCents),
          euro(r.forecastCents),
          `${euro(r.lowCents)} – ${euro(r.highCents)}`,
          r.differenceCents === null ? '—' : signedEuro(r.differenceCents),
          signedPct(r.differenceShare),
        ]),
        [
          t.name,
          money(t.budgetCents),
          euro(t.forecastCents),
          `${euro(t.lowCents)} – ${euro(t.highCents)}`,
          t.differenceCents === null ? '—' : signedEuro(t.differenceCents),
          signedPct(t.differenceShare),
        ],
      ],
      true,
    ),
    para('Verschil = prognose − begroting; positief is een verwachte overschrijding.', { size: 16, italics: true }),
    heading('3. Belangrijkste oorzaken', 2),
    para(
      `${d.causes.totalSentence} (${d.periodLabel} vergeleken met ${d.previousPeriodLabel}, even ver gedeclareerd.)`,
    ),
    heading('Naar categorie', 3),
    table(causeHeaders('Categorie'), causeRows(d.causes.categories)),
    ...d.causes.categories.map((c) => para(c.sentence)),
    heading('Naar aanbieder', 3),
    table(causeHeaders('Aanbieder'), causeRows(d.causes.providers)),
    heading('4. Aandeel per gemeente', 2),
    para(
      `Verdeelsleutel: ${d.keyLabel}.${d.budgetsComplete ? ` Te verdelen: het verschil tussen prognose en begroting van de regio, ${signedEuro(t.differenceCents ?? 0)}.` : ' Niet alle begrotingen zijn ingevoerd; het aandeel in het tekort kan nog niet worden berekend.'}`,
    ),
    table(
      [
        'Gemeente',
        'Aandeel sleutel',
        'Eigen verschil (prognose − begroting)',
        'Aandeel in verschil regio',
        'Aandeel − eigen verschil',
        ...(hasRes ? ['Gereserveerd', 'Tegenvaller (+) / meevaller (−)'] : []),
      ],
      [
        ...d.rows.map((r) => [
          `${r.municipality} ${r.name}`,
          pct(r.keyFraction),
          r.differenceCents === null ? '—' : signedEuro(r.differenceCents),
          r.shareCents === null ? '—' : signedEuro(r.shareCents),
          r.ownVsShare === null ? '—' : signedEuro(r.ownVsShare.differenceCents),
          ...(hasRes ? [money(r.reservationCents), r.balanceCents === null ? '—' : signedEuro(r.balanceCents)] : []),
        ]),
        [
          'Totaal',
          '100%',
          t.differenceCents === null ? '—' : signedEuro(t.differenceCents),
          t.shareCents === null ? '—' : signedEuro(t.shareCents),
          t.differenceCents === null ? '—' : signedEuro(0),
          ...(hasRes ? [money(t.reservationCents), t.balanceCents === null ? '—' : signedEuro(t.balanceCents)] : []),
        ],
      ],
      true,
    ),
    ...(ownVsShareIntro(d) ? [para(ownVsShareIntro(d))] : []),
    ...d.rows
      .filter((r) => r.ownVsShare || r.reservation)
      .map((r) => para(`${r.name}. ${[r.ownVsShare?.sentence, r.reservation?.sentence].filter(Boolean).join(' ')}`)),
    heading('5. Maatregelen', 2),
    ...measuresDocx(d),
    heading('6. Voorgesteld besluit', 2),
    para('Het dagelijks bestuur stelt het algemeen bestuur voor:'),
    ...d.decision.map(
      (x) =>
        new Paragraph({
          numbering: { reference: 'besluit', level: 0 },
          spacing: { after: 80 },
          children: [new TextRun({ text: x, size: 20, font: FONT })],
        }),
    ),
    heading('Verantwoording', 2),
    ...d.notes.map((n) => para(n, { size: 16 })),
  ];
  const doc = new Document({
    creator: 'Grip',
    title: `Concept ${d.ordinal} bestuursrapportage jeugdhulp ${d.year}`,
    description: 'Gegenereerd door Grip uit iJw-declaraties',
    styles: { default: { document: { run: { font: FONT, size: 20 } } } },
    numbering: {
      config: [
        {
          reference: 'besluit',
          levels: [
            {
              level: 0,
              format: LevelFormat.DECIMAL,
              text: '%1.',
              alignment: AlignmentType.LEFT,
              style: { paragraph: { indent: { left: 400, hanging: 300 } } },
            },
          ],
        },
      ],
    },
    sections: [
      {
        properties: {
          page: { size: { width: 11906, height: 16838 }, margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 } },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
