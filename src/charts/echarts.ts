/**
 * Charts: ECharts option builders and server-side SVG rendering. The web app and the reports (PDF) use the
 * same definitions, so a chart looks the same on screen and on paper. Rendering needs no browser
 * (ECharts' SSR mode writes SVG as a string).
 */
import * as echarts from 'echarts';
import { formatEuroRounded, type Cents } from '../domain/money.js';
import { formatMonthNl, type MonthKey } from '../domain/month.js';

export type ChartOption = echarts.EChartsCoreOption;

/** Colours that stay distinguishable in greyscale print (dark → light) and pass contrast on white. */
export const PALETTE = ['#0b3d5c', '#2b6f9e', '#6aa2c8', '#b3d1e6', '#c05f1d', '#e8a66d', '#4d7c3a', '#9fc48e', '#6b6b6b', '#b0b0b0'];

/** Renders an ECharts option to an SVG string of the given size (no animation, no browser). */
export function renderSvg(option: ChartOption, width: number, height: number): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, color: PALETTE, textStyle: { fontFamily: 'system-ui, Arial, sans-serif' }, ...option });
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
export function monthlyCostsOption(points: MonthlyPoint[], opts: { title?: string; compact?: boolean } = {}): ChartOption {
  const months = points.map((p) => formatMonthNl(p.month, true));
  const hasOpen = points.some((p) => (p.openCents ?? 0) > 0);
  return {
    title: opts.title ? { text: opts.title, left: 0, textStyle: { fontSize: 13, fontWeight: 600 } } : undefined,
    grid: { left: 64, right: 12, top: opts.title ? 36 : 16, bottom: hasOpen ? 48 : 28 },
    legend: hasOpen ? { bottom: 0, data: ['Gedeclareerd', 'Nog te declareren (schatting)'], textStyle: { fontSize: 11 } } : undefined,
    xAxis: { type: 'category', data: months, axisLabel: { fontSize: 10, interval: opts.compact ? 'auto' : 0, rotate: points.length > 14 ? 45 : 0 } },
    yAxis: { type: 'value', axisLabel: { fontSize: 10, formatter: (v: number) => euroAxisLabel(v) } },
    series: [
      { name: 'Gedeclareerd', type: 'bar', stack: 'k', data: points.map((p) => p.declaredCents), itemStyle: { color: PALETTE[1] } },
      ...(hasOpen
        ? [
            {
              name: 'Nog te declareren (schatting)',
              type: 'bar',
              stack: 'k',
              data: points.map((p) => Math.max(0, p.openCents ?? 0)),
              itemStyle: { color: '#ffffff', borderColor: PALETTE[1], borderWidth: 1, borderType: 'dashed', decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -Math.PI / 4, color: PALETTE[2] } },
            },
          ]
        : []),
    ],
  };
}

/** Horizontal bars: a ranked breakdown (categories, providers, referrers). */
export function rankedBarsOption(items: { label: string; cents: Cents }[], opts: { title?: string } = {}): ChartOption {
  const sorted = [...items].sort((a, b) => a.cents - b.cents);
  return {
    title: opts.title ? { text: opts.title, left: 0, textStyle: { fontSize: 13, fontWeight: 600 } } : undefined,
    grid: { left: 190, right: 80, top: opts.title ? 32 : 8, bottom: 8 },
    xAxis: { type: 'value', show: false },
    yAxis: { type: 'category', data: sorted.map((i) => (i.label.length > 30 ? i.label.slice(0, 29) + '…' : i.label)), axisLabel: { fontSize: 11 } },
    series: [
      {
        type: 'bar',
        data: sorted.map((i) => i.cents),
        itemStyle: { color: PALETTE[1] },
        label: { show: true, position: 'right', fontSize: 10, formatter: (p: { value: number }) => formatEuroRounded(p.value) },
      },
    ],
  };
}

/** Yearly totals with the current year's forecast and its 80% interval as an error bar. */
export function yearlyForecastOption(
  years: { year: number; actualCents: Cents; forecast?: { forecastCents: Cents; lowCents: Cents; highCents: Cents }; budgetCents?: Cents | null }[],
  opts: { title?: string } = {},
): ChartOption {
  const labels = years.map((y) => String(y.year));
  const hasBudget = years.some((y) => y.budgetCents != null);
  return {
    title: opts.title ? { text: opts.title, left: 0, textStyle: { fontSize: 13, fontWeight: 600 } } : undefined,
    grid: { left: 64, right: 12, top: opts.title ? 36 : 16, bottom: 44 },
    legend: { bottom: 0, textStyle: { fontSize: 11 } },
    xAxis: { type: 'category', data: labels },
    yAxis: { type: 'value', axisLabel: { fontSize: 10, formatter: (v: number) => euroAxisLabel(v) } },
    series: [
      { name: 'Gedeclareerd', type: 'bar', stack: 'y', data: years.map((y) => y.actualCents), itemStyle: { color: PALETTE[1] } },
      {
        name: 'Prognose (rest)',
        type: 'bar',
        stack: 'y',
        data: years.map((y) => (y.forecast ? Math.max(0, y.forecast.forecastCents - y.actualCents) : 0)),
        itemStyle: { color: '#ffffff', borderColor: PALETTE[1], borderType: 'dashed', decal: { symbol: 'rect', dashArrayX: [1, 0], dashArrayY: [2, 4], rotation: -Math.PI / 4, color: PALETTE[2] } },
      },
      {
        name: '80%-interval',
        type: 'line',
        data: years.map((y) => (y.forecast ? y.forecast.highCents : null)),
        lineStyle: { opacity: 0 },
        symbol: 'path://M-6,0 L6,0',
        symbolSize: [12, 2],
        itemStyle: { color: PALETTE[4] },
      },
      {
        name: '80%-interval ',
        type: 'line',
        data: years.map((y) => (y.forecast ? y.forecast.lowCents : null)),
        lineStyle: { opacity: 0 },
        symbol: 'path://M-6,0 L6,0',
        symbolSize: [12, 2],
        itemStyle: { color: PALETTE[4] },
      },
      ...(hasBudget
        ? [{ name: 'Begroting', type: 'line', data: years.map((y) => y.budgetCents ?? null), itemStyle: { color: PALETTE[6] }, lineStyle: { type: 'dashed' } }]
        : []),
    ],
  };
}
