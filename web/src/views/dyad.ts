// Dyad view: two-direction timeline, Goldstein means, QuadClass bars, source health, event table.
// Clicking a bucket (either chart or the source strip) filters the event table to that bucket.
import uPlot from 'uplot';
import { get, type Timeline, type Sources, type Bucket } from '../api';
import { h, clear, fmt, errorBox, bucketEnd, toTs, goldsteinClass, QUAD_NAMES } from '../dom';
import { timelineChart, quadChart, type ChartHandle, COLOR_AB, COLOR_BA } from '../charts';
import { pagedEvents, section } from '../components';
import { type Ctx, DEFAULT_DYAD, parseDyad, setHashParams, hashFor } from '../router';
import { countryName } from '../countries';
import { dateRange } from './overview';

export async function renderDyad(ctx: Ctx): Promise<void> {
  const pair = parseDyad(ctx.parts[0] ?? DEFAULT_DYAD);
  if (!pair) { ctx.root.append(errorBox(new Error(`not a dyad: ${ctx.parts[0]}`))); return; }
  const [A, B] = pair;
  const dyad = `${A}-${B}`;
  const p = ctx.params;
  const bucket = ['day', 'week', 'month'].includes(p.get('bucket') ?? '') ? p.get('bucket')! : 'week';
  const from = p.get('from') ?? '', to = p.get('to') ?? '';
  let sel = p.get('sel') ?? '';
  let dir = p.get('dir') ?? '';

  const go = (upd: Record<string, string>) => { location.hash = hashFor(['dyad', dyad], { bucket, from, to, ...upd }); };
  const bucketSel = h('select', { testid: 'bucket-select', 'aria-label': 'bucket' }, ...['day', 'week', 'month'].map(b => h('option', { value: b }, b)));
  bucketSel.value = bucket;
  bucketSel.onchange = () => go({ bucket: bucketSel.value, sel: '' });
  const nameA = countryName(A) || A, nameB = countryName(B) || B;
  ctx.root.append(h('div', { class: 'viewhead' },
    h('h1', { testid: 'dyad-title' }, `${nameA} ↔ ${nameB}`, h('span', { class: 'muted codes' }, ` ${dyad}`)),
    h('div', { class: 'controls' },
      h('label', null, 'Bucket ', bucketSel),
      dateRange(from, to, (f, t) => go({ from: f, to: t, sel: '' })),
      h('a', { class: 'btnlink', href: hashFor(['dyad', `${B}-${A}`], { bucket, from, to }), title: 'swap A and B' }, '⇄ swap'),
      h('a', { class: 'btnlink', href: `#/citizens/${A}/${B}` }, `${A} citizens in ${B}`),
      h('a', { class: 'btnlink', href: `#/exchanges/${dyad}` }, 'exchanges'),
      h('a', { class: 'btnlink', href: `#/alerts?dyad=${dyad}` }, 'alerts'),
      h('a', { class: 'btnlink', testid: 'subscribe', title: 'Save this view as an alert rule for dyad watch',
        href: hashFor(['watch'], { dyad, kind: 'spike', name: `${dyad.toLowerCase()}-spike` }) }, '🔔 alert me'))));

  let tl: Timeline;
  try {
    tl = await get<Timeline>('timeline', { dyad, bucket, from, to });
  } catch (err) { ctx.root.append(errorBox(err)); return; }
  const bk = tl.buckets;

  // Totals (clickable: filter the table by direction).
  const sum = (side: 'ab' | 'ba', f: (s: Bucket['ab']) => number) => bk.reduce((s, k) => s + f(k[side]), 0);
  const gmean = (side: 'ab' | 'ba') => {
    const n = sum(side, s => s.goldstein_mean === null ? 0 : s.events);
    return n ? sum(side, s => s.goldstein_sum) / n : null;
  };
  const stat = (label: string, value: string, cls: string, d: string, testid: string) =>
    h('button', { class: `stat ${cls} ${dir === d ? 'active' : ''}`, testid, title: 'filter the event table', onclick: () => { dir = dir === d ? '' : d; setHashParams({ dir }); refreshTable(); markStats(); } },
      h('div', { class: 'statv' }, value), h('div', { class: 'statl' }, label));
  const stats = h('div', { class: 'stats' },
    stat(`stories ${A}→${B}`, String(sum('ab', s => s.stories)), 'ab', 'ab', 'stat-ab'),
    stat(`stories ${B}→${A}`, String(sum('ba', s => s.stories)), 'ba', 'ba', 'stat-ba'),
    h('div', { class: 'stat' }, h('div', { class: 'statv' }, String(sum('ab', s => s.quad[2] + s.quad[3]) + sum('ba', s => s.quad[2] + s.quad[3]))), h('div', { class: 'statl' }, 'conflict stories')),
    h('div', { class: `stat ${goldsteinClass(gmean('ab'))}` }, h('div', { class: 'statv' }, fmt(gmean('ab'), 2)), h('div', { class: 'statl' }, `Goldstein ${A}→${B}`)),
    h('div', { class: `stat ${goldsteinClass(gmean('ba'))}` }, h('div', { class: 'statv' }, fmt(gmean('ba'), 2)), h('div', { class: 'statl' }, `Goldstein ${B}→${A}`)),
    h('div', { class: 'stat' }, h('div', { class: 'statv' }, String(bk.length)), h('div', { class: 'statl' }, `${bucket}s`)));
  const markStats = () => {
    for (const b of stats.querySelectorAll<HTMLElement>('button.stat')) b.classList.toggle('active', (b.dataset.testid === 'stat-ab' && dir === 'ab') || (b.dataset.testid === 'stat-ba' && dir === 'ba'));
  };
  ctx.root.append(stats);

  const chartBox = h('div', { class: 'chart', testid: 'timeline-chart' });
  const quadBox = h('div', { class: 'chart', testid: 'quad-chart' });
  const healthBox = h('div', { class: 'srchealth', testid: 'source-health' });
  const quadLegend = h('div', { class: 'legend' }, ...[1, 2, 3, 4].map(q => h('span', null, h('i', { class: `sw q${q}` }), QUAD_NAMES[q])));
  ctx.root.append(section(`Timeline — stories per ${bucket}, both directions`,
    h('div', { class: 'muted small' }, 'Bars: stories (counted once per story). Dashed: mean Goldstein of the events. Click a bucket to see its events.'),
    chartBox, h('h3', null, 'QuadClass (stories): ', h('span', { style: `color:${COLOR_AB}` }, `${A}→${B} up`), ', ', h('span', { style: `color:${COLOR_BA}` }, `${B}→${A} down`)), quadLegend, quadBox,
    h('h3', null, 'Source health — documents ingested per outlet (outlets that carried this dyad); ', h('span', { class: 'gapmark' }, 'hatched'), ' = gap in coverage'), healthBox));

  const tableHead = h('div', { class: 'tablehead' });
  const tableBox = h('div', { testid: 'dyad-events' });
  ctx.root.append(h('section', { class: 'panel' }, tableHead, tableBox));

  let handles: ChartHandle[] = [];
  const selIdx = () => { const i = bk.findIndex(k => k.start === sel); return i < 0 ? null : i; };
  const pick = (i: number | null) => {
    sel = i === null || bk[i]?.start === sel ? '' : bk[i].start;
    setHashParams({ sel: sel || null });
    for (const hd of handles) hd.select(selIdx());
    refreshTable();
  };

  function refreshTable(): void {
    clear(tableHead); clear(tableBox);
    const i = selIdx();
    let f = from, t = to;
    if (i !== null) {
      f = bk[i].start; t = bucketEnd(bk[i].start, bucket);
      if (from && f < from) f = from;
      if (to && t > to) t = to;
    }
    const directed = dir === 'ab' || dir === 'ba';
    const dy = dir === 'ba' ? `${B}-${A}` : dyad;
    const title = [`Events ${directed ? (dir === 'ab' ? `${A}→${B}` : `${B}→${A}`) : `${A}↔${B}`}`];
    if (i !== null) {
      const k = bk[i];
      title.push(`${bucket} of ${k.start} (${f}…${t}): ${k.ab.stories} stories ${A}→${B}, ${k.ba.stories} ${B}→${A}`);
    } else if (from || to) title.push(`${from || '…'} to ${to || '…'}`);
    tableHead.append(h('h2', { testid: 'events-title' }, title.join(' — ')));
    if (i !== null || directed) tableHead.append(h('button', { class: 'mini', testid: 'clear-filter', onclick: () => { dir = ''; setHashParams({ dir: null }); markStats(); pick(null); } }, 'clear filter'));
    tableHead.append(h('a', { class: 'small', href: hashFor(['events'], { dyad: dy, directed: directed ? 1 : null, from: f, to: t }) }, ' open in search'));
    tableBox.append(pagedEvents({ dyad: dy, directed, from: f, to: t }, { correct: true, empty: 'No events for this selection.' }));
  }

  if (!bk.length) {
    chartBox.append(h('div', { class: 'empty' }, `No events between ${A} and ${B}${from || to ? ' in this range' : ''}.`));
  }
  refreshTable();
  // Charts need a laid-out container to size themselves.
  requestAnimationFrame(() => {
    if (!bk.length || !chartBox.isConnected) return;
    handles = [timelineChart(chartBox, bk, A, B, pick, selIdx()), quadChart(quadBox, bk, A, B, pick, selIdx())];
    void sourceHealth(healthBox, handles[0].u, dyad, bucket === 'day' ? 'day' : 'week', from || bk[0].start, to || bucketEnd(bk[bk.length - 1].start, bucket), bk, bucket, pick);
  });
}

async function sourceHealth(el: HTMLElement, u: uPlot, dyad: string, sb: string, from: string, to: string, bk: Bucket[], bucket: string, pick: (i: number) => void): Promise<void> {
  let src: Sources;
  try { src = await get<Sources>('sources', { dyad, bucket: sb, from, to }); } catch (err) { el.append(errorBox(err)); return; }
  if (!src.outlets.length) { el.append(h('div', { class: 'empty' }, 'No documents from outlets carrying this dyad.')); return; }
  const rowH = 13;
  const left = u.bbox.left / devicePixelRatio, width = u.bbox.width / devicePixelRatio;
  const outlets = [...src.outlets].sort((a, b) => b.total - a.total);
  const max = Math.max(1, ...outlets.flatMap(o => o.counts.map(c => c.documents)));
  const step = sb === 'day' ? 86400 : 7 * 86400;
  const wrap = h('div', { class: 'srcgrid' });
  const tip = h('div', { class: 'srctip muted small', testid: 'source-tip' }, 'Hover a cell: outlet, bucket, documents. Click: that bucket\'s events.');
  for (const o of outlets) {
    const gaps = src.gaps.filter(g => g.outlet === o.outlet);
    const c = document.createElement('canvas');
    c.width = Math.round(width * devicePixelRatio); c.height = rowH * devicePixelRatio;
    c.style.width = `${width}px`; c.style.height = `${rowH}px`;
    const g = c.getContext('2d')!;
    g.scale(devicePixelRatio, devicePixelRatio);
    const xOf = (ts: number) => u.valToPos(ts, 'x');
    const inGap = (d: string) => gaps.some(gp => gp.from <= d && d <= gp.to);
    g.fillStyle = '#f4f6f9'; g.fillRect(0, 0, width, rowH);
    for (const cnt of o.counts) {
      const ts = toTs(cnt.start);
      const x0 = xOf(ts - (bucket === 'month' ? 0 : step / 2)), x1 = xOf(ts + step - (bucket === 'month' ? 0 : step / 2));
      const w = Math.max(1, x1 - x0 - 1);
      if (cnt.documents > 0) {
        const t = Math.sqrt(cnt.documents / max);
        g.fillStyle = `rgba(31, 95, 168, ${0.25 + 0.75 * t})`;
        g.fillRect(x0, 1, w, rowH - 2);
      } else if (inGap(cnt.start)) {
        g.fillStyle = '#f6d5d5'; g.fillRect(x0, 1, w, rowH - 2);
        g.strokeStyle = '#c62828'; g.lineWidth = 1;
        g.beginPath();
        for (let x = x0 - rowH; x < x0 + w; x += 4) { g.moveTo(Math.max(x, x0), x < x0 ? 1 + (x0 - x) : rowH - 1); g.lineTo(Math.min(x + rowH, x0 + w), x + rowH > x0 + w ? rowH - 1 - (x + rowH - x0 - w) : 1); }
        g.stroke();
      }
    }
    const at = (ev: MouseEvent) => {
      const ts = u.posToVal(ev.offsetX, 'x');
      return o.counts.find(cnt => { const s = toTs(cnt.start); return ts >= s - step / 2 && ts < s + step / 2; });
    };
    c.onmousemove = ev => {
      const cnt = at(ev);
      tip.textContent = cnt ? `${o.outlet} · ${sb} of ${cnt.start}: ${cnt.documents} documents${cnt.documents === 0 && inGap(cnt.start) ? ' (gap)' : ''}` : o.outlet;
    };
    c.onclick = ev => {
      const cnt = at(ev);
      if (!cnt) return;
      const i = bk.findIndex(k => k.start <= cnt.start && cnt.start <= bucketEnd(k.start, bucket));
      if (i >= 0) pick(i);
    };
    wrap.append(h('div', { class: 'srcrow', testid: 'source-row', 'data-outlet': o.outlet },
      h('div', { class: 'srclabel', style: `width:${left}px`, title: `${o.outlet}: ${o.total} documents` }, o.outlet),
      c, h('div', { class: 'srctotal muted small' }, String(o.total))));
  }
  el.append(wrap, tip, src.gaps.length ? h('div', { class: 'small gaps', testid: 'source-gaps', title: src.gaps.map(g => `${g.outlet} ${g.from}…${g.to}`).join('\n') }, `${src.gaps.length} gap${src.gaps.length === 1 ? '' : 's'}: `, src.gaps.slice(0, 6).map(g => `${g.outlet} ${g.from}…${g.to}`).join('; '), src.gaps.length > 6 ? ` and ${src.gaps.length - 6} more (hover)` : '') : h('div', { class: 'small muted' }, 'No gaps.'));
}
