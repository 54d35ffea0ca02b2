/**
 * Charts: ECharts option builders and server-side SVG rendering. The web app and the reports (PDF) use the
 * same definitions, so a chart looks the same on screen and on paper. Rendering needs no browser
 * (ECharts' SSR mode writes SVG as a string).
 */
import * as echarts from 'echarts';
import { at } from '../domain/indexing.js';
import { formatEuroRounded, type Cents } from '../domain/money.js';
import { formatMonthNl, type MonthKey } from '../domain/month.js';

export type ChartOption = echarts.EChartsCoreOption;

/** Colours that stay distinguishable in greyscale print (dark → light) and pass contrast on white. */
export const PALETTE = [
  '#0b3d5c',
  '#2b6f9e',
  '#6aa2c8',
  '#b3d1e6',
  '#c05f1d',
  '#e8a66d',
  '#4d7c3a',
  '#9fc48e',
  '#6b6b6b',
  '#b0b0b0',
];

/** Renders an ECharts option to an SVG string of the given size (no animation, no browser). */
export function renderSvg(option: ChartOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      color: PALETTE,
      textStyle: { fontFamily: 'system-ui, Arial, sans-serif' },
      ...option,
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** Axis labels in whole euros, thousands abbreviated ("€ 1,2 mln", "€ 350k" in Dutch: "€ 350 dzd"). */
export function euroAxisLabel(cents: number): string {
  const euros = cents / 100;
  const abs = Math.abs(euros);
  if (abs >= 1_000_000) return `€ ${(euros / 1_000_000).toLocaleString('nl-NL', { maximumFractionDigits: 1 })} mln`;
  if (abs >= 1_000) return `€ ${(euros / 1_000).toLocaleString('nl-NL', { maximumFractionDigits: 0 })}k`;
  return `€ ${euros.toLocaleString('nl-NL', { maximumFractionDigits: 0 })}`;
}

/** A chart's title, as every chart here sets it (none without a text). */
function chartTitle(text: string | undefined) {
  return text ? { text, left: 0, textStyle: { fontSize: 13, fontWeight: 600 } } : undefined;
}

/** The labels of an axis of amounts in euros (euroAxisLabel). */
function euroAxisLabels() {
  return { fontSize: 10, formatter: (v: number) => euroAxisLabel(v) };
}

/** A value axis of amounts in euros. */
function euroValueAxis() {
  return { type: 'value', axisLabel: euroAxisLabels() };
}

export interface MonthlyPoint {
  month: MonthKey;
  /** Declared so far (net). */
  declaredCents: Cents;
  /** Estimated not yet declared (IBNR) for this production month; 0 for complete months. */
  openCents?: Cents;
}

/**
 * Monthly costs by production month: declared as solid bars, the not-yet-declared estimate stacked on top
 * as a hatched bar, so the incomplete recent months are shown as such, never hidden.
 */
export function monthlyCostsOption(
  points: MonthlyPoint[],
  opts: { title?: string; compact?: boolean } = {},
): ChartOption {
  const months = points.map((p) => formatMonthNl(p.month, true));
  const hasOpen = points.some((p) => (p.openCents ?? 0) > 0);
  return {
    title: chartTitle(opts.title),
    grid: { left: 64, right: 12, top: opts.title ? 36 : 16, bottom: hasOpen ? 48 : 28 },
    legend: hasOpen
      ? { bottom: 0, data: ['Gedeclareerd', 'Nog te declareren (schatting)'], textStyle: { fontSize: 11 } }
      : undefined,
    xAxis: {
      type: 'category',
      data: months,
      axisLabel: { fontSize: 10, interval: opts.compact ? 'auto' : 0, rotate: points.length > 14 ? 45 : 0 },
    },
    yAxis: euroValueAxis(),
    series: [
      {
        name: 'Gedeclareerd',
        type: 'bar',
        stack: 'k',
        data: points.map((p) => p.declaredCents),
        itemStyle: { color: PALETTE[1] },
      },
      ...(hasOpen
        ? [
            {
              name: 'Nog te declareren (schatting)',
              type: 'bar',
              stack: 'k',
              data: points.map((p) => Math.max(0, p.openCents ?? 0)),
              itemStyle: {
                color: '#ffffff',
                borderColor: PALETTE[1],
                borderWidth: 1,
                borderType: 'dashed',
                decal: {
                  symbol: 'rect',
                  dashArrayX: [1, 0],
                  dashArrayY: [2, 4],
                  rotation: -Math.PI / 4,
                  color: PALETTE[2],
                },
              },
            },
          ]
        : []),
    ],
  };
}

/** A label on at most two lines of about `width` characters, broken between words (cut only when still longer). */
export function wrapLabel(label: string, width: number): string {
  if (label.length <= width) return label;
  const lines: string[] = [''];
  for (const word of label.split(' ')) {
    const cur = lines[lines.length - 1];
    if (cur && cur.length + 1 + word.length > width) lines.push(word);
    else lines[lines.length - 1] = cur ? `${cur} ${word}` : word;
  }
  const two = lines.slice(0, 2);
  const second = two[1];
  // A single word longer than `width` stays one (uncut) line.
  if (second !== undefined && (lines.length > 2 || second.length > width)) two[1] = `${second.slice(0, width - 1)}…`;
  return two.join('\n');
}

/** Horizontal bars: a ranked breakdown (categories, providers, referrers). */
export function rankedBarsOption(items: { label: string; cents: Cents }[], opts: { title?: string } = {}): ChartOption {
  const sorted = [...items].sort((a, b) => a.cents - b.cents);
  return {
    title: chartTitle(opts.title),
    grid: { left: 200, right: 80, top: opts.title ? 32 : 8, bottom: 8 },
    xAxis: { type: 'value', show: false },
    yAxis: {
      type: 'category',
      data: sorted.map((i) => wrapLabel(i.label, 32)),
      axisLabel: { fontSize: 11, lineHeight: 13 },
    },
    series: [
      {
        type: 'bar',
        data: sorted.map((i) => i.cents),
        itemStyle: { color: PALETTE[1] },
        label: {
          show: true,
          position: 'right',
          fontSize: 10,
          formatter: (p: { value: number }) => formatEuroRounded(p.value),
        },
      },
    ],
  };
}

/** Yearly totals with the current year's forecast and its 80% interval as an error bar. */
export function yearlyForecastOption(
  years: {
    year: number;
    actualCents: Cents;
    forecast?: { forecastCents: Cents; lowCents: Cents; highCents: Cents };
    budgetCents?: Cents | null;
  }[],
  opts: { title?: string } = {},
): ChartOption {
  const labels = years.map((y) => String(y.year));
  const hasBudget = years.some((y) => y.budgetCents != null);
  return {
    title: chartTitle(opts.title),
    grid: { left: 64, right: 12, top: opts.title ? 36 : 16, bottom: 44 },
    legend: {
      bottom: 0,
      textStyle: { fontSize: 11 },
      data: ['Gedeclareerd', 'Prognose (rest)', '80%-interval', ...(hasBudget ? ['Begroting'] : [])],
    },
    xAxis: { type: 'category', data: labels },
    yAxis: euroValueAxis(),
    series: [
      {
        name: 'Gedeclareerd',
        type: 'bar',
        stack: 'y',
        data: years.map((y) => y.actualCents),
        itemStyle: { color: PALETTE[1] },
      },
      {
        name: 'Prognose (rest)',
        type: 'bar',
        stack: 'y',
        data: years.map((y) => (y.forecast ? Math.max(0, y.forecast.forecastCents - y.actualCents) : 0)),
        itemStyle: {
          color: '#ffffff',
          borderColor: PALETTE[1],
          borderType: 'dashed',
          decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -Math.PI / 4, color: PALETTE[2] },
        },
      },
      {
        name: '80%-interval',
        type: 'line',
        data: years.map((y) => (y.forecast ? y.forecast.highCents : null)),
        lineStyle: { opacity: 0 },
        symbol: 'rect',
        symbolSize: [16, 3],
        itemStyle: { color: PALETTE[4] },
      },
      {
        name: '80%-interval',
        type: 'line',
        data: years.map((y) => (y.forecast ? y.forecast.lowCents : null)),
        lineStyle: { opacity: 0 },
        symbol: 'rect',
        symbolSize: [16, 3],
        itemStyle: { color: PALETTE[4] },
      },
      ...(hasBudget
        ? [
            {
              name: 'Begroting',
              type: 'line',
              data: years.map((y) => y.budgetCents ?? null),
              itemStyle: { color: PALETTE[6] },
              lineStyle: { type: 'dashed' },
            },
          ]
        : []),
    ],
  };
}

export interface CostDevelopmentPoint {
  month: MonthKey;
  /** Declared so far (net) for this production month. */
  declaredCents: Cents;
  /** Estimated not yet declared (IBNR); 0 for complete and future months. */
  openCents: Cents;
  /** Forecast for a month still to come (0 for past months). */
  forecastCents: Cents;
  /** The same calendar month a year earlier, for comparison (null when unknown). */
  previousCents?: Cents | null;
}

/**
 * Cost development through one year: declared (solid), not yet declared (hatched) and the forecast of the
 * months to come (light, dotted outline), with the previous year as a dashed line with markers. Readable in
 * black-and-white: the four parts differ in fill pattern and line style, not only in colour.
 */
export function costDevelopmentOption(
  points: CostDevelopmentPoint[],
  opts: { title?: string; previousLabel?: string } = {},
): ChartOption {
  const months = points.map((p) => formatMonthNl(p.month, true).slice(0, 3));
  const hasPrev = points.some((p) => p.previousCents != null);
  const hasOpen = points.some((p) => p.openCents > 0);
  const hasFuture = points.some((p) => p.forecastCents > 0);
  const names = [
    'Gedeclareerd',
    ...(hasOpen ? ['Nog te declareren'] : []),
    ...(hasFuture ? ['Prognose'] : []),
    ...(hasPrev ? [opts.previousLabel ?? 'Vorig jaar'] : []),
  ];
  return {
    title: chartTitle(opts.title),
    grid: { left: 64, right: 12, top: opts.title ? 34 : 12, bottom: 44 },
    legend: { bottom: 0, data: names, textStyle: { fontSize: 10 }, itemWidth: 16, itemHeight: 9, itemGap: 16 },
    xAxis: { type: 'category', data: months, axisLabel: { fontSize: 10, interval: 0 } },
    yAxis: euroValueAxis(),
    series: [
      {
        name: 'Gedeclareerd',
        type: 'bar',
        stack: 'm',
        barWidth: '62%',
        data: points.map((p) => p.declaredCents),
        itemStyle: { color: PALETTE[0] },
      },
      ...(hasOpen
        ? [
            {
              name: 'Nog te declareren',
              type: 'bar',
              stack: 'm',
              data: points.map((p) => Math.max(0, p.openCents)),
              // A light fill with a dashed outline rather than a decal pattern: prints fast and stays distinct in greyscale.
              itemStyle: { color: PALETTE[3], borderColor: PALETTE[0], borderWidth: 1, borderType: 'dashed' },
            },
          ]
        : []),
      ...(hasFuture
        ? [
            {
              name: 'Prognose',
              type: 'bar',
              stack: 'm',
              data: points.map((p) => Math.max(0, p.forecastCents)),
              itemStyle: { color: '#ffffff', borderColor: PALETTE[1], borderWidth: 1, borderType: 'dotted' },
            },
          ]
        : []),
      ...(hasPrev
        ? [
            {
              name: opts.previousLabel ?? 'Vorig jaar',
              type: 'line',
              data: points.map((p) => p.previousCents ?? null),
              symbol: 'triangle',
              symbolSize: 6,
              lineStyle: { type: 'dashed', width: 1.5, color: PALETTE[4] },
              itemStyle: { color: PALETTE[4] },
            },
          ]
        : []),
    ],
  };
}

export interface WaterfallBar {
  label: string;
  /** The bar runs from `fromCents` to `toCents`; totals start at 0. */
  fromCents: Cents;
  toCents: Cents;
  kind: 'total' | 'volume' | 'intensity' | 'price';
}

/**
 * A waterfall: the cost before, the steps that change it (volume, intensity, price) and the cost after.
 * Increases are orange, decreases green, totals dark blue; every bar carries its amount as a label, so the
 * chart reads without colour too. Bars are drawn as a transparent base plus a visible part, stacked with
 * stackStrategy 'all' so steps below zero work as well.
 */
/**
 * Where a waterfall's value axis starts: at zero, unless every bar lies far above it and the steps are small
 * next to the totals — then somewhat below the lowest level, so the steps can be seen (say so in the caption).
 */
export function waterfallAxisMin(bars: WaterfallBar[]): number {
  const levels = bars.flatMap((b) => (b.kind === 'total' ? [b.toCents] : [b.fromCents, b.toCents]));
  if (!levels.length) return 0;
  const lo = Math.min(...levels);
  const hi = Math.max(...levels);
  if (lo <= 0 || hi - lo > 0.5 * hi) return 0;
  const raw = Math.max(0, lo - Math.max(hi - lo, hi * 0.02) * 1.5);
  if (raw <= 0) return 0;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return Math.floor(raw / mag) * mag;
}

export function waterfallOption(bars: WaterfallBar[], opts: { title?: string } = {}): ChartOption {
  const base = bars.map((b) => Math.min(b.fromCents, b.toCents));
  const axisMin = waterfallAxisMin(bars);
  const size = bars.map((b) => Math.abs(b.toCents - b.fromCents));
  const colour = (b: WaterfallBar) =>
    b.kind === 'total' ? PALETTE[0] : b.toCents >= b.fromCents ? PALETTE[4] : PALETTE[6];
  const text = (b: WaterfallBar) =>
    b.kind === 'total'
      ? formatEuroRounded(b.toCents)
      : `${b.toCents >= b.fromCents ? '+' : ''}${formatEuroRounded(b.toCents - b.fromCents)}`;
  return {
    title: chartTitle(opts.title),
    grid: { left: 72, right: 12, top: opts.title ? 36 : 20, bottom: 40 },
    // Period names are long ("januari t/m september 2025"): wrapped onto two lines within a bar's slot.
    xAxis: {
      type: 'category',
      data: bars.map((b) => b.label),
      axisLabel: { fontSize: 11, interval: 0, width: 88, overflow: 'break' },
    },
    yAxis: {
      type: 'value',
      min: axisMin || undefined,
      axisLabel: euroAxisLabels(),
    },
    series: [
      {
        name: 'basis',
        type: 'bar',
        stack: 'w',
        stackStrategy: 'all',
        silent: true,
        data: base,
        itemStyle: { color: 'transparent', borderColor: 'transparent' },
      },
      {
        name: 'stap',
        type: 'bar',
        stack: 'w',
        stackStrategy: 'all',
        barWidth: '55%',
        data: bars.map((b, i) => ({ value: size[i], itemStyle: { color: colour(b) } })),
        label: {
          show: true,
          position: 'top',
          fontSize: 10,
          formatter: (p: { dataIndex: number }) => text(at(bars, p.dataIndex)),
        },
      },
    ],
  };
}

export interface SankeyChartNode {
  id: string;
  label: string;
}

/**
 * A Sankey diagram (flows of clients between stages, left to right). Node ids must be unique; labels
 * are shown. Link values are client counts (already disclosure-controlled by the caller where needed).
 */
export function sankeyOption(
  nodes: SankeyChartNode[],
  links: { source: string; target: string; value: number }[],
  opts: { title?: string } = {},
): ChartOption {
  const label = new Map(nodes.map((n) => [n.id, n.label]));
  const used = new Set(links.flatMap((l) => [l.source, l.target]));
  return {
    title: chartTitle(opts.title),
    series: [
      {
        type: 'sankey',
        top: opts.title ? 36 : 12,
        bottom: 12,
        left: 8,
        right: 150,
        nodeGap: 10,
        nodeWidth: 14,
        layoutIterations: 32,
        draggable: false,
        data: nodes
          .filter((n) => used.has(n.id))
          .map((n, i) => ({ name: n.id, itemStyle: { color: PALETTE[i % PALETTE.length] } })),
        links: links.filter((l) => l.value > 0),
        lineStyle: { color: 'gradient', opacity: 0.35 },
        label: {
          fontSize: 10,
          formatter: (p: { name: string; value: number }) => `${label.get(p.name) ?? p.name} (${p.value})`,
        },
      },
    ],
  };
}

/**
 * Year totals: earlier years as bars, the current year as declared (solid) + the rest of the forecast
 * (outlined), its 80% interval as an I-beam and the budget as a diamond marker. No decal patterns, so it
 * prints quickly and reads in greyscale.
 */
export function yearTotalsOption(
  years: {
    year: number;
    actualCents: Cents;
    forecast?: { forecastCents: Cents; lowCents: Cents; highCents: Cents };
    budgetCents?: Cents | null;
  }[],
  opts: { title?: string } = {},
): ChartOption {
  const labels = years.map((y) => String(y.year));
  const hasBudget = years.some((y) => y.budgetCents != null);
  const hasForecast = years.some((y) => y.forecast);
  const names = ['Gedeclareerd', ...(hasForecast ? ['Prognose', '80%-band'] : []), ...(hasBudget ? ['Begroting'] : [])];
  return {
    title: chartTitle(opts.title),
    grid: { left: 64, right: 12, top: opts.title ? 34 : 12, bottom: 44 },
    legend: { bottom: 0, data: names, textStyle: { fontSize: 10 }, itemWidth: 12, itemHeight: 8, itemGap: 12 },
    xAxis: { type: 'category', data: labels, axisLabel: { fontSize: 10 } },
    yAxis: euroValueAxis(),
    series: [
      {
        name: 'Gedeclareerd',
        type: 'bar',
        stack: 'y',
        barWidth: '55%',
        data: years.map((y) => y.actualCents),
        itemStyle: { color: PALETTE[1] },
      },
      ...(hasForecast
        ? [
            {
              name: 'Prognose',
              type: 'bar',
              stack: 'y',
              data: years.map((y) => (y.forecast ? Math.max(0, y.forecast.forecastCents - y.actualCents) : 0)),
              itemStyle: { color: '#ffffff', borderColor: PALETTE[1], borderWidth: 1, borderType: 'dashed' },
            },
            {
              name: '80%-band',
              type: 'custom',
              data: years.map((y, i) =>
                y.forecast ? [i, y.forecast.lowCents, y.forecast.highCents] : [i, null, null],
              ),
              itemStyle: { color: PALETTE[4] },
              renderItem: (
                _params: unknown,
                api: { value(i: number): number; coord(p: [number, number]): [number, number] },
              ) => {
                const lo = api.value(1);
                const hi = api.value(2);
                // A year without a forecast has null band ends; Number.isFinite refuses null and NaN alike.
                if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null;
                const a = api.coord([api.value(0), lo]);
                const b = api.coord([api.value(0), hi]);
                const style = { stroke: PALETTE[4], lineWidth: 1.5 };
                return {
                  type: 'group',
                  children: [
                    { type: 'line', shape: { x1: a[0], y1: a[1], x2: b[0], y2: b[1] }, style },
                    { type: 'line', shape: { x1: a[0] - 7, y1: a[1], x2: a[0] + 7, y2: a[1] }, style },
                    { type: 'line', shape: { x1: b[0] - 7, y1: b[1], x2: b[0] + 7, y2: b[1] }, style },
                  ],
                };
              },
              z: 10,
            },
          ]
        : []),
      ...(hasBudget
        ? [
            {
              name: 'Begroting',
              type: 'scatter',
              symbol: 'diamond',
              symbolSize: 10,
              data: years.map((y) => y.budgetCents ?? null),
              itemStyle: { color: PALETTE[6], borderColor: '#000', borderWidth: 0.5 },
              z: 11,
            },
          ]
        : []),
    ],
  };
}

/**
 * The track of published forecasts of one year: each vintage's forecast with its 80% band, the budget and,
 * once known, the outcome as horizontal lines — the picture of whether the amendments stopped.
 */
export function vintageTrackOption(
  points: { label: string; forecastCents: Cents; lowCents: Cents; highCents: Cents }[],
  budgetCents: Cents | null,
  actualCents: Cents | null,
): ChartOption {
  const lines = [
    ...(budgetCents !== null
      ? [
          {
            name: 'Begroting',
            yAxis: budgetCents,
            lineStyle: { color: PALETTE[6], type: 'dashed' as const },
            label: { formatter: 'begroting', fontSize: 10 },
          },
        ]
      : []),
    ...(actualCents !== null
      ? [
          {
            name: 'Uitkomst',
            yAxis: actualCents,
            lineStyle: { color: '#222222', type: 'solid' as const },
            label: { formatter: 'uitkomst', fontSize: 10 },
          },
        ]
      : []),
  ];
  const values = points.flatMap((p) => [p.lowCents, p.highCents]).concat(lines.map((l) => l.yAxis));
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = Math.max(1, (max - min) * 0.15);
  return {
    grid: { left: 64, right: 56, top: 16, bottom: 44 },
    legend: { bottom: 0, textStyle: { fontSize: 11 }, data: ['Prognose', '80%-interval'] },
    xAxis: { type: 'category', data: points.map((p) => p.label), axisLabel: { fontSize: 10 } },
    yAxis: {
      type: 'value',
      min: Math.floor(min - pad),
      max: Math.ceil(max + pad),
      axisLabel: euroAxisLabels(),
    },
    series: [
      {
        name: '80%-interval',
        type: 'line',
        stack: 'band',
        data: points.map((p) => p.lowCents),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        itemStyle: { color: PALETTE[2] },
      },
      {
        name: '80%-interval',
        type: 'line',
        stack: 'band',
        data: points.map((p) => p.highCents - p.lowCents),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        areaStyle: { color: PALETTE[2], opacity: 0.35 },
        itemStyle: { color: PALETTE[2] },
      },
      {
        name: 'Prognose',
        type: 'line',
        data: points.map((p) => p.forecastCents),
        itemStyle: { color: PALETTE[1] },
        symbolSize: 7,
        markLine: lines.length ? { symbol: 'none', data: lines } : undefined,
      },
    ],
  };
}
