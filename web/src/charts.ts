// uPlot charts: two-direction timeline with Goldstein means, mirrored QuadClass stacked bars,
// small timelines, and SVG sparklines. Clicking a bucket calls onPick(index).
import uPlot from 'uplot';
import type { Bucket } from './api';
import { svg, QUAD_COLORS, QUAD_NAMES, toTs } from './dom';

export const COLOR_AB = '#1f5fa8';
export const COLOR_BA = '#c2571a';
/** Left axis width (px): the source-health strip puts its outlet labels in this column. */
export const LEFT_AXIS = 96;

export interface ChartHandle { u: uPlot; select(idx: number | null): void; destroy(): void; }

function widthOf(el: HTMLElement): number { return Math.max(320, Math.floor(el.getBoundingClientRect().width || el.clientWidth || 900)); }

/** Shades the selected bucket and wires clicks and resizes. */
function interactive(u: uPlot, el: HTMLElement, onPick?: (idx: number) => void, sel?: { idx: number | null }): ChartHandle {
  if (onPick) {
    u.over.style.cursor = 'pointer';
    u.over.addEventListener('click', (ev: MouseEvent) => {
      const r = u.over.getBoundingClientRect();
      const i = u.posToIdx(ev.clientX - r.left);
      if (i !== null && i !== undefined && i >= 0) onPick(i);
    });
  }
  const ro = new ResizeObserver(() => { const w = widthOf(el); if (Math.abs(w - u.width) > 2) u.setSize({ width: w, height: u.height }); });
  ro.observe(el);
  return {
    u,
    select(idx) { if (sel) { sel.idx = idx; u.redraw(false, false); } },
    destroy() { ro.disconnect(); u.destroy(); },
  };
}

function selectionHook(sel: { idx: number | null }, xs: number[]) {
  return (u: uPlot) => {
    if (sel.idx === null || sel.idx < 0 || sel.idx >= xs.length) return;
    const step = xs.length > 1 ? xs[1] - xs[0] : 86400 * 7;
    const x0 = u.valToPos(xs[sel.idx] - step / 2, 'x', true);
    const x1 = u.valToPos(xs[sel.idx] + step / 2, 'x', true);
    const ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = 'rgba(255, 200, 0, 0.25)';
    ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
    ctx.restore();
  };
}

const axisStyle = { stroke: '#555', grid: { stroke: '#eceff3', width: 1 }, ticks: { stroke: '#ccd', width: 1 }, font: '11px system-ui, sans-serif' };

/** Stories per bucket A→B and B→A (bars) with the Goldstein mean of each direction (lines, right axis). */
export function timelineChart(el: HTMLElement, buckets: Bucket[], a: string, b: string, onPick?: (idx: number) => void, selected: number | null = null): ChartHandle {
  const xs = buckets.map(k => toTs(k.start));
  const sel = { idx: selected };
  const bars = uPlot.paths.bars!({ size: [0.42, 40], align: 0 });
  const barsL = uPlot.paths.bars!({ size: [0.42, 40], align: -1 });
  const barsR = uPlot.paths.bars!({ size: [0.42, 40], align: 1 });
  void bars;
  const data: uPlot.AlignedData = [
    xs,
    buckets.map(k => k.ab.stories),
    buckets.map(k => k.ba.stories),
    buckets.map(k => k.ab.goldstein_mean),
    buckets.map(k => k.ba.goldstein_mean),
  ];
  const opts: uPlot.Options = {
    width: widthOf(el), height: 240,
    cursor: { drag: { x: false, y: false, click: () => {} }, points: { size: 6 } },
    legend: { live: true },
    scales: { x: { time: true, range: padX(xs) }, n: { range: (_u, _min, max) => [0, Math.max(2, max * 1.1)] }, g: { range: [-10, 10] } },
    axes: [
      { ...axisStyle },
      { ...axisStyle, scale: 'n', label: 'stories', labelSize: 14, size: LEFT_AXIS },
      { ...axisStyle, scale: 'g', side: 1, label: 'Goldstein mean', labelSize: 14, size: 40, grid: { show: false } },
    ],
    series: [
      { label: 'bucket', value: dateValue },
      { label: `${a}→${b} stories`, scale: 'n', stroke: COLOR_AB, fill: COLOR_AB + 'cc', width: 0, paths: barsL, fillTo: () => 0, points: { show: false } },
      { label: `${b}→${a} stories`, scale: 'n', stroke: COLOR_BA, fill: COLOR_BA + 'cc', width: 0, paths: barsR, fillTo: () => 0, points: { show: false } },
      { label: `${a}→${b} Goldstein`, scale: 'g', stroke: COLOR_AB, width: 1.5, dash: [5, 3], spanGaps: false, points: { show: true, size: 4 }, value: (_u, v) => v === null ? '–' : v.toFixed(1) },
      { label: `${b}→${a} Goldstein`, scale: 'g', stroke: COLOR_BA, width: 1.5, dash: [5, 3], spanGaps: false, points: { show: true, size: 4 }, value: (_u, v) => v === null ? '–' : v.toFixed(1) },
    ],
    hooks: { drawClear: [selectionHook(sel, xs)], draw: [(u: uPlot) => zeroLine(u, 'g', '#bbb'), exposeScale(el)] },
  };
  const u = new uPlot(opts, data, el);
  return interactive(u, el, onPick, sel);
}

const dateValue = (_u: uPlot, v: number | null) => (v === null || v === undefined ? '–' : new Date(v * 1000).toISOString().slice(0, 10));
function padX(xs: number[]): uPlot.Range.MinMax {
  const step = xs.length > 1 ? xs[1] - xs[0] : 7 * 86400;
  return [xs[0] - step / 2, xs[xs.length - 1] + step / 2];
}

/** The x scale's range (seconds) on the container, so tests can aim at a bucket. */
function exposeScale(el: HTMLElement) {
  return (u: uPlot) => { el.dataset.xmin = String(u.scales.x.min); el.dataset.xmax = String(u.scales.x.max); };
}

function zeroLine(u: uPlot, scale: string, color: string): void {
  const y = u.valToPos(0, scale, true);
  const ctx = u.ctx;
  ctx.save();
  ctx.strokeStyle = color; ctx.lineWidth = 1; ctx.setLineDash([2, 2]);
  ctx.beginPath(); ctx.moveTo(u.bbox.left, y); ctx.lineTo(u.bbox.left + u.bbox.width, y); ctx.stroke();
  ctx.restore();
}

/** Stories per QuadClass, stacked: A→B above zero, B→A mirrored below. */
export function quadChart(el: HTMLElement, buckets: Bucket[], a: string, b: string, onPick?: (idx: number) => void, selected: number | null = null): ChartHandle {
  const xs = buckets.map(k => toTs(k.start));
  const sel = { idx: selected };
  const bars = uPlot.paths.bars!({ size: [0.7, 60] });
  const cum = (side: 'ab' | 'ba', upto: number, sign: number) =>
    buckets.map(k => sign * k[side].quad.slice(0, upto).reduce((s, v) => s + (v || 0), 0));
  const series: uPlot.Series[] = [{ label: 'bucket', value: dateValue }];
  const data: (number | null)[][] = [xs];
  // Drawn largest-cumulative first so each smaller stack segment paints over it.
  for (const [side, sign, name] of [['ab', 1, `${a}→${b}`], ['ba', -1, `${b}→${a}`]] as const) {
    for (let q = 4; q >= 1; q--) {
      data.push(cum(side, q, sign));
      series.push({
        label: `${name} ${QUAD_NAMES[q]}`, stroke: QUAD_COLORS[q], fill: QUAD_COLORS[q], width: 0, paths: bars, fillTo: () => 0,
        points: { show: false },
        value: (_u, _v, _si, idx) => idx === null ? '–' : String(buckets[idx][side].quad[q - 1] ?? 0),
      });
    }
  }
  const maxAbs = Math.max(2, ...buckets.map(k => Math.max(k.ab.quad.reduce((s, v) => s + v, 0), k.ba.quad.reduce((s, v) => s + v, 0))));
  const opts: uPlot.Options = {
    width: widthOf(el), height: 170,
    cursor: { drag: { x: false, y: false, click: () => {} }, points: { show: false } },
    legend: { show: false },
    scales: { x: { time: true, range: padX(xs) }, y: { range: [-maxAbs * 1.1, maxAbs * 1.1] } },
    axes: [{ ...axisStyle }, { ...axisStyle, size: LEFT_AXIS, label: 'stories', labelSize: 14, values: (_u, vals) => vals.map(v => String(Math.abs(v))) },
      { ...axisStyle, side: 1, size: 40, values: () => [], grid: { show: false }, ticks: { show: false } }],
    series,
    hooks: { drawClear: [selectionHook(sel, xs)], draw: [(u: uPlot) => zeroLine(u, 'y', '#888')] },
  };
  const u = new uPlot(opts, data as uPlot.AlignedData, el);
  return interactive(u, el, onPick, sel);
}

/** A small two-series timeline (e.g. stories and conflict stories). */
export function smallTimeline(el: HTMLElement, starts: string[], series: { label: string; values: number[]; color: string }[], onPick?: (idx: number) => void): ChartHandle {
  const xs = starts.map(toTs);
  const sel = { idx: null as number | null };
  const n = series.length;
  const paths = series.map((_, i) => uPlot.paths.bars!({ size: [0.8 / n, 30], align: n === 1 ? 0 : (i === 0 ? -1 : 1) }));
  const opts: uPlot.Options = {
    width: widthOf(el), height: 180,
    cursor: { drag: { x: false, y: false, click: () => {} }, points: { show: false } },
    scales: { x: { time: true, range: padX(xs) }, y: { range: (_u, _min, max) => [0, Math.max(2, max * 1.1)] } },
    axes: [{ ...axisStyle }, { ...axisStyle, size: 36 }],
    series: [{ label: 'bucket', value: dateValue }, ...series.map((s, i) => ({ label: s.label, stroke: s.color, fill: s.color + 'cc', width: 0, paths: paths[i], fillTo: () => 0, points: { show: false } }))],
    hooks: { drawClear: [selectionHook(sel, xs)] },
  };
  const u = new uPlot(opts, [xs, ...series.map(s => s.values)] as uPlot.AlignedData, el);
  return interactive(u, el, onPick, sel);
}

/** An inline SVG sparkline of weekly counts. */
export function sparkline(values: number[], w = 120, hgt = 26, color = COLOR_AB): SVGElement {
  const root = svg('svg', { width: w, height: hgt, viewBox: `0 0 ${w} ${hgt}`, class: 'spark' });
  if (!values.length) return root;
  const max = Math.max(1, ...values);
  const bw = w / values.length;
  values.forEach((v, i) => {
    const bh = v > 0 ? Math.max(1.5, (v / max) * (hgt - 2)) : 0.5;
    root.appendChild(svg('rect', { x: (i * bw + 0.5).toFixed(1), y: (hgt - bh).toFixed(1), width: Math.max(1, bw - 1).toFixed(1), height: bh.toFixed(1), fill: v > 0 ? color : '#d0d5dd' }));
  });
  const t = svg('title', {});
  t.textContent = `weekly stories, oldest first: ${values.join(', ')}`;
  root.appendChild(t);
  return root;
}
