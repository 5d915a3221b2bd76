// Citizens abroad: how B treats A's citizens, migrants, workers and refugees, and A's government's responses.
import { get, type Citizens, type Event } from '../api';
import { h, errorBox, clear } from '../dom';
import { eventTable, section } from '../components';
import { smallTimeline, COLOR_AB } from '../charts';
import { type Ctx, hashFor } from '../router';
import { countryName } from '../countries';
import { dateRange } from './overview';

// Kinds by code, as docs/monitor.md defines them (used to filter the listed events client-side).
const KIND_CODES: Record<string, (code: string) => boolean> = {
  detention: c => c.startsWith('173'),
  deportation: c => c.startsWith('174'),
  raid: c => ['170', '171', '175', '176'].some(p => c.startsWith(p)),
  assault: c => ['18', '19', '20'].some(p => c.startsWith(p)),
  restriction: c => c.startsWith('172') || c.startsWith('16'),
  other: c => !['173', '174', '170', '171', '175', '176', '18', '19', '20', '172', '16'].some(p => c.startsWith(p)),
};

export async function renderCitizens(ctx: Ctx): Promise<void> {
  const A = (ctx.parts[0] ?? 'UZB').toUpperCase().replace(/[^A-Z0-9]/g, '');
  const B = (ctx.parts[1] ?? 'RUS').toUpperCase().replace(/[^A-Z0-9]/g, '');
  const from = ctx.params.get('from') ?? '', to = ctx.params.get('to') ?? '';
  const nameA = countryName(A) || A, nameB = countryName(B) || B;
  ctx.root.append(h('div', { class: 'viewhead' },
    h('h1', { testid: 'citizens-title' }, `${nameA}'s citizens in ${nameB}`, h('span', { class: 'muted codes' }, ` ${A} in ${B}`)),
    h('div', { class: 'controls' }, dateRange(from, to, (f, t) => { location.hash = hashFor(['citizens', A, B], { from: f, to: t }); }),
      h('a', { class: 'btnlink', href: `#/citizens/${B}/${A}` }, `⇄ ${B} citizens in ${A}`),
      h('a', { class: 'btnlink', href: `#/dyad/${A}-${B}` }, `dyad ${A}-${B}`),
      h('a', { class: 'btnlink', testid: 'subscribe', title: 'Save this view as an alert rule for dyad watch',
        href: hashFor(['watch'], { population: `${A} in ${B}`, kind: 'codes', codes: '173,174,18', name: `${A.toLowerCase()}-in-${B.toLowerCase()}` }) }, '🔔 alert me'))));
  let c: Citizens;
  try { c = await get<Citizens>('citizens', { of: A, in: B, from, to, limit: 200 }); } catch (err) { ctx.root.append(errorBox(err)); return; }

  const evBox = h('div', { testid: 'citizens-events' });
  let kindSel = '';
  const showEvents = () => {
    clear(evBox);
    const f = kindSel && KIND_CODES[kindSel] ? c.events.filter((e: Event) => KIND_CODES[kindSel](e.code)) : c.events;
    evBox.append(h('h2', null, `What ${B}'s actors did to ${A}'s people${kindSel ? ` — ${kindSel}` : ''} (${f.length})`), eventTable(f, { correct: true, empty: 'No events.' }));
  };
  const kinds = h('div', { class: 'stats', testid: 'citizens-kinds' });
  const ORDER = ['detention', 'deportation', 'raid', 'assault', 'restriction', 'recruitment', 'other'];
  const kindsList = Object.entries(c.kinds ?? {}).sort((x, y) => (ORDER.indexOf(x[0]) + 99) % 99 - (ORDER.indexOf(y[0]) + 99) % 99);
  for (const [k, n] of kindsList) {
    const b = h('button', { class: `stat ${n ? '' : 'zero'}`, testid: `kind-${k}`, title: KIND_CODES[k] ? 'filter the events' : '' },
      h('div', { class: 'statv' }, String(n)), h('div', { class: 'statl' }, k));
    b.onclick = () => {
      kindSel = kindSel === k || !KIND_CODES[k] ? '' : k;
      for (const x of kinds.querySelectorAll('.stat')) x.classList.remove('active');
      if (kindSel) b.classList.add('active');
      showEvents();
    };
    kinds.append(b);
  }
  ctx.root.append(kinds);
  const chart = h('div', { class: 'chart', testid: 'citizens-chart' });
  ctx.root.append(section('Timeline — stories per week', chart));
  ctx.root.append(h('section', { class: 'panel' }, evBox));
  showEvents();
  ctx.root.append(section(`${nameA}'s government's responses towards ${B}`,
    h('div', { testid: 'citizens-responses' }, eventTable(c.responses ?? [], { empty: 'No responses recorded.' }))));
  requestAnimationFrame(() => {
    const tl = c.timeline ?? [];
    if (!tl.length) { chart.append(h('div', { class: 'empty' }, 'No events.')); return; }
    smallTimeline(chart, tl.map(t => t.start), [
      { label: 'stories', values: tl.map(t => t.stories), color: COLOR_AB },
      { label: 'conflict stories', values: tl.map(t => t.conflict_stories), color: '#c62828' }],
      i => { const s = tl[i].start; const e = new Date(Date.parse(s) + 6 * 86400e3).toISOString().slice(0, 10); location.hash = hashFor(['events'], { dyad: `${B}-${A}`, directed: 1, from: s, to: e }); });
  });
}
