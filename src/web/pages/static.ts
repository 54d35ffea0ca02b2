/**
 * Scripts for interactive charts. ECharts' own browser build is served straight from node_modules (never
 * copied into the repository); Grip's small script turns each server-rendered chart into a live ECharts
 * chart (tooltips with € amounts, legend toggles), keeping the server's SVG for print and for browsers
 * without JavaScript. Both are same-origin files, so the CSP (script-src 'self') allows them; the chart
 * options travel as JSON in a non-executed `<script type="application/json">` block.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { WebContext } from '../server.js';

const require = createRequire(import.meta.url);
const ECHARTS_DIST = require.resolve('echarts/dist/echarts.min.js');
const ECHARTS_VERSION = (require('echarts/package.json') as { version: string }).version;

export const ECHARTS_URL = `/static/echarts-${ECHARTS_VERSION}.min.js`;
export const CHARTS_URL = '/static/grip-charts.js';

/**
 * The browser side (plain ES5, no build step): amounts in the options are eurocents; tooltips and labels
 * show them as Dutch euros; a series named "… (schatting)" is explained on hover.
 */
export const CHARTS_JS = `(function () {
  'use strict';
  if (!window.echarts) return;
  var whole = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 0 });
  function euro(c) { return (c < 0 ? '-' : '') + '\\u20ac ' + whole.format(Math.round(Math.abs(c) / 100)); }
  function axis(c) {
    var e = c / 100, a = Math.abs(e);
    if (a >= 1e6) return '\\u20ac ' + (e / 1e6).toLocaleString('nl-NL', { maximumFractionDigits: 1 }) + ' mln';
    if (a >= 1e3) return '\\u20ac ' + (e / 1e3).toLocaleString('nl-NL', { maximumFractionDigits: 0 }) + 'k';
    return '\\u20ac ' + e.toLocaleString('nl-NL', { maximumFractionDigits: 0 });
  }
  function text(s) { return String(s).replace(/[&<>"']/g, function (ch) { return '&#' + ch.charCodeAt(0) + ';'; }); }
  function num(v) { return v && typeof v === 'object' ? Number(v.value) : Number(v); }
  function tooltip(ps) {
    ps = [].concat(ps);
    var out = [text(ps[0].axisValueLabel || ps[0].name)], total = 0, estimate = false;
    ps.forEach(function (p) {
      var v = num(p.value);
      if (!isFinite(v)) return;
      total += v;
      if (/schatting/.test(p.seriesName)) estimate = true;
      out.push(p.marker + text(p.seriesName) + ': <b>' + euro(v) + '</b>');
    });
    if (ps.length > 1) out.push('Totaal: <b>' + euro(total) + '</b>');
    if (estimate) out.push('<span style="font-size:12px">Gearceerd: zorg die al is geleverd maar nog niet is gedeclareerd,<br>geschat uit hoe snel eerdere maanden werden gedeclareerd.</span>');
    return out.join('<br>');
  }
  var figures = document.querySelectorAll('figure[data-chart]');
  for (var i = 0; i < figures.length; i++) (function (fig) {
    var data = fig.querySelector('script.chart-data'), svg = fig.querySelector('svg');
    if (!data || !svg) return;
    var opt;
    try { opt = JSON.parse(data.textContent); } catch (e) { return; }
    [].concat(opt.xAxis || [], opt.yAxis || []).forEach(function (a) {
      if (a && a.type === 'value') a.axisLabel = Object.assign({}, a.axisLabel, { formatter: axis });
    });
    [].concat(opt.series || []).forEach(function (s) {
      if (s && s.label && s.label.show) s.label.formatter = function (p) { return euro(num(p.value)); };
    });
    opt.tooltip = { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, formatter: tooltip };
    var box = document.createElement('div');
    box.className = 'chart-live';
    box.style.height = svg.getAttribute('height') + 'px';
    box.style.maxWidth = svg.getAttribute('width') + 'px';
    box.setAttribute('role', 'img');
    box.setAttribute('aria-label', svg.getAttribute('aria-label') || '');
    fig.insertBefore(box, svg);
    fig.classList.add('live');
    var chart = window.echarts.init(box, null, { renderer: 'svg' });
    chart.setOption(opt);
    window.addEventListener('resize', function () { chart.resize(); });
  })(figures[i]);
})();
`;

export function registerStatic({ app }: WebContext): void {
  const echartsJs = readFileSync(ECHARTS_DIST);
  // Versioned URLs: the browser may keep them for a year.
  app.get(ECHARTS_URL, { config: { rule: { roles: 'public' } } }, async (_req, reply) =>
    reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(echartsJs),
  );
  app.get(CHARTS_URL, { config: { rule: { roles: 'public' } } }, async (_req, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'no-cache').send(CHARTS_JS),
  );
}
