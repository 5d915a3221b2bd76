// Alerts: weeks whose conflict stories fired against the baselines, or read "limited change" below the floor.
import { get, type Alerts } from '../api';
import { h, errorBox, fmt } from '../dom';
import { type Ctx, hashFor } from '../router';

export async function renderAlerts(ctx: Ctx): Promise<void> {
  const p = ctx.params;
  const dyad = (p.get('dyad') ?? '').toUpperCase().replace(/[^A-Z0-9-]/g, '');
  const asOf = p.get('as_of') ?? '';
  const showAll = p.get('all') === '1';
  const dyadIn = h('input', { value: dyad, placeholder: 'all dyads (e.g. RUS-UZB)', testid: 'alerts-dyad', class: 'code wide' });
  const asOfIn = h('input', { type: 'date', value: asOf, testid: 'alerts-asof' });
  const all = h('input', { type: 'checkbox', testid: 'alerts-all' });
  all.checked = showAll;
  const go = () => { location.hash = hashFor(['alerts'], { dyad: dyadIn.value.trim().toUpperCase(), as_of: asOfIn.value, all: all.checked ? 1 : null }); };
  dyadIn.onchange = go; asOfIn.onchange = go; all.onchange = go;
  ctx.root.append(h('div', { class: 'viewhead' }, h('h1', null, 'Alerts'),
    h('div', { class: 'controls' }, h('label', null, 'Dyad ', dyadIn), h('label', null, 'As of ', asOfIn), h('label', null, all, ' show normal weeks'))));
  let a: Alerts;
  try { a = await get<Alerts>('alerts', { dyad, as_of: asOf }); } catch (err) { ctx.root.append(errorBox(err)); return; }

  const cfg = Object.entries(a.config ?? {});
  ctx.root.append(h('div', { class: 'muted small cfg', testid: 'alerts-config' }, 'Rule: conflict stories (QuadClass 3–4, once per story) in a week vs the 4- and 52-week weekly norms and the previous month. ',
    cfg.length ? `Config: ${cfg.map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(', ')}` : ''));

  const rows = a.alerts.filter(x => showAll || x.status !== 'normal');
  const order: Record<string, number> = { fired: 0, limited_change: 1, normal: 2 };
  rows.sort((x, y) => (order[x.status] ?? 3) - (order[y.status] ?? 3) || y.week.localeCompare(x.week));
  const fired = a.alerts.filter(x => x.status === 'fired').length;
  const limited = a.alerts.filter(x => x.status === 'limited_change').length;
  ctx.root.append(h('div', { class: 'stats' },
    h('div', { class: 'stat alert-fired' }, h('div', { class: 'statv', testid: 'fired-count' }, String(fired)), h('div', { class: 'statl' }, 'fired')),
    h('div', { class: 'stat' }, h('div', { class: 'statv' }, String(limited)), h('div', { class: 'statl' }, 'limited change')),
    h('div', { class: 'stat' }, h('div', { class: 'statv' }, String(a.alerts.length)), h('div', { class: 'statl' }, 'dyad-weeks checked'))));
  const tbody = h('tbody');
  for (const x of rows) {
    const evidence = hashFor(['events'], { ids: x.event_ids.join(','), title: `Alert ${x.dyad} week of ${x.week}` });
    tbody.append(h('tr', { class: 'clickable', testid: 'alert-row', 'data-dyad': x.dyad, 'data-status': x.status, onclick: () => { location.hash = evidence; } },
      h('td', null, h('span', { class: `badge alert-${x.status}`, testid: 'alert-status' }, x.status === 'fired' ? '▲ fired' : x.status.replace('_', ' '))),
      h('td', { class: 'nowrap' }, h('a', { href: `#/dyad/${x.dyad}?sel=${x.week}`, onclick: (ev: Event) => ev.stopPropagation() }, x.dyad)),
      h('td', { class: 'nowrap' }, x.week),
      h('td', { class: 'num' }, h('a', { href: evidence, testid: 'alert-evidence' }, String(x.stories))),
      h('td', { class: 'num' }, fmt(x.baseline_4w, 2)),
      h('td', { class: 'num' }, fmt(x.baseline_52w, 2)),
      h('td', { class: 'num' }, fmt(x.prev_month_mean, 2)),
      h('td', { class: 'small' }, x.rule),
      h('td', { class: 'num' }, `${x.story_ids.length} / ${x.event_count ?? x.event_ids.length}`)));
  }
  ctx.root.append(h('section', { class: 'panel' },
    rows.length ? h('table', { class: 'dense', testid: 'alerts-table' },
      h('thead', null, h('tr', null, h('th', null, 'Status'), h('th', null, 'Dyad'), h('th', null, 'Week'), h('th', { class: 'num' }, 'Conflict stories'),
        h('th', { class: 'num' }, '4-wk norm'), h('th', { class: 'num' }, '52-wk norm'), h('th', { class: 'num' }, 'Prev. month'), h('th', null, 'Rule'), h('th', { class: 'num' }, 'Stories / events'))),
      tbody) : h('div', { class: 'empty', testid: 'alerts-table' }, showAll ? 'No weeks to show.' : 'Nothing fired and nothing below the floor. Tick "show normal weeks" to see every week.')));
}
