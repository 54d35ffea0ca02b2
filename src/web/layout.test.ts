import { describe, expect, it } from 'vitest';
import {
  chart,
  compactEuro,
  euroShort,
  interactiveChart,
  menuFor,
  rangeShort,
  rangeWrap,
  scrollTables,
} from './layout.js';
import { monthlyCostsOption, sankeyOption, waterfallOption } from '../charts/echarts.js';
import { at } from '../domain/indexing.js';
import { matchGroup } from './testing.js';

describe('compact amounts', () => {
  it('writes millions with one decimal and billions with two, in nl-NL, rounded half up', () => {
    expect(compactEuro(971_234_567)).toBe('€ 9,7 mln'); // € 9.712.345,67
    expect(compactEuro(975_000_000)).toBe('€ 9,8 mln'); // € 9.750.000
    expect(compactEuro(-125_000_000)).toBe('-€ 1,3 mln');
    expect(compactEuro(12_345_678_900)).toBe('€ 123 mln'); // € 123.456.789 — three digits, no decimal
    expect(compactEuro(125_000_000_000)).toBe('€ 1,25 mld');
    expect(compactEuro(99_999_949)).toBe('€ 999.999'); // below a million: whole euros
  });

  it('keeps the full amount on hover, and writes small amounts in full without a title', () => {
    expect(String(euroShort(971_234_567))).toBe('<span class="amt" title="€ 9.712.346">€ 9,7 mln</span>');
    expect(String(euroShort(12_345))).toBe('€ 123');
    expect(String(euroShort(null))).toBe('—');
  });

  it('writes an interval with its unit once', () => {
    expect(String(rangeShort(910_000_000, 1_020_000_000))).toBe(
      '<span class="amt" title="€ 9.100.000 – € 10.200.000">€ 9,1 – 10,2 mln</span>',
    );
    expect(String(rangeShort(50_000_000, 120_000_000))).toBe(
      '<span class="amt" title="€ 500.000 – € 1.200.000">€ 500.000 – € 1,2 mln</span>',
    );
    expect(String(rangeShort(10_000, 20_000))).toBe('€ 100 – € 200');
    // € 9.413.000 – € 9.448.000: one decimal would read "9,4 – 9,4"; two show the range.
    expect(String(rangeShort(941_300_000, 944_800_000))).toBe(
      '<span class="amt" title="€ 9.413.000 – € 9.448.000">€ 9,41 – 9,45 mln</span>',
    );
  });
});

describe('a range that may wrap in a narrow column', () => {
  it('keeps each end whole and breaks only after the dash, escaping its text', () => {
    expect(String(rangeWrap('-€ 510.976', '€ 474.541'))).toBe(
      '<span class="nw">-€ 510.976 –</span> <span class="nw">€ 474.541</span>',
    );
    expect(String(rangeWrap('<b>', '&'))).toBe('<span class="nw">&lt;b&gt; –</span> <span class="nw">&amp;</span>');
  });
});

describe('tables scroll inside their own box', () => {
  it('wraps every table in a focusable region named after its caption', () => {
    const out = scrollTables(
      '<p>x</p><table class="a"><caption>Gemeenten <a href="/x.csv">CSV</a></caption><tr><td>1</td></tr></table><table><tr><td>2</td></tr></table>',
    );
    expect(out.html).toBe(
      '<p>x</p><div class="tw" tabindex="0" role="region" aria-label="Gemeenten CSV"><table class="a"><caption>Gemeenten <a href="/x.csv">CSV</a></caption><tr><td>1</td></tr></table></div>' +
        '<div class="tw" tabindex="0" role="region" aria-label="Tabel"><table><tr><td>2</td></tr></table></div>',
    );
  });
});

describe('menu', () => {
  it('gives a gemeente user its own municipality instead of a one-row region overview', () => {
    const one = menuFor({ role: 'gemeente', municipalities: ['0482'] });
    expect(at(one, 0)).toEqual({ href: '/gemeente/0482', label: 'Alblasserdam' });
    expect(one.some((n) => n.href === '/')).toBe(false);
    const two = menuFor({ role: 'gemeente', municipalities: ['0482', '0505'] });
    expect(two.slice(0, 3).map((n) => n.label)).toEqual(['Alblasserdam', 'Dordrecht', 'Overzicht']);
    expect(at(menuFor({ role: 'regio', municipalities: [] }), 0).href).toBe('/');
  });
});

describe('charts', () => {
  it('bar charts carry their option as inert JSON for the browser, with < escaped; the waterfall and Sankey stay SVG only', () => {
    const html = chart(
      monthlyCostsOption([{ month: '2025-01', declaredCents: 12_345, openCents: 500 }]),
      400,
      200,
      'Kosten </script><b>',
    ).html;
    expect(html.startsWith('<figure data-chart><svg')).toBe(true);
    const json = matchGroup(/<script type="application\/json" class="chart-data">(.*?)<\/script>/s, html);
    expect(json).not.toContain('<');
    const opt = JSON.parse(json);
    expect(opt.series.map((x: { data: number[] }) => x.data)).toEqual([[12_345], [500]]);
    expect(html).toContain('<figcaption>Kosten &lt;/script&gt;&lt;b&gt;</figcaption>');
    expect(interactiveChart(waterfallOption([{ label: 'a', fromCents: 0, toCents: 100, kind: 'total' }]))).toBe(false);
    expect(
      interactiveChart(
        sankeyOption(
          [
            { id: 'a', label: 'A' },
            { id: 'b', label: 'B' },
          ],
          [{ source: 'a', target: 'b', value: 3 }],
        ),
      ),
    ).toBe(false);
  });
});
