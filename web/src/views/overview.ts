// Overview: the watched dyad up top, then dyads ranked by volume or change with sparklines and alert badges.
import { get, type DyadRow } from '../api';
import { h, fmt, signed, goldsteinClass, errorBox } from '../dom';
import { sparkline } from '../charts';
import { type Ctx, DEFAULT_DYAD, hashFor } from '../router';
import { countryName } from '../countries';

const WATCH_KEY = 'dyad.watched';
export function watched(): string[] {
  try {
    const v = JSON.parse(localStorage.getItem(WATCH_KEY) ?? 'null');
    if (Array.isArray(v) && v.every(x => typeof x === 'string')) return v;
  } catch { /* default */ }
  return [DEFAULT_DYAD];
}
export function setWatched(list: string[]): void { try { localStorage.setItem(WATCH_KEY, JSON.stringify(list)); } catch { /* ignore */ } }

export function alertBadge(alert: DyadRow['alert'] | { status: string; rule?: string } | null): HTMLElement | null {
  if (!alert || alert.status === 'normal') return null;
  return h('span', { class: `badge alert-${alert.status}`, testid: `alert-badge`, 'data-status': alert.status, title: alert.rule ?? '' },
    alert.status === 'fired' ? '▲ alert' : alert.status === 'limited_change' ? 'limited change' : alert.status);
}

const samePair = (r: DyadRow, d: string) => { const [x, y] = d.split('-'); return (r.a === x.slice(0, 3) && r.b === y.slice(0, 3)) || (r.a === y.slice(0, 3) && r.b === x.slice(0, 3)); };

export async function renderOverview(ctx: Ctx): Promise<void> {
  const by = ctx.params.get('by') === 'change' ? 'change' : 'volume';
  const from = ctx.params.get('from') ?? '', to = ctx.params.get('to') ?? '';
  const controls = h('div', { class: 'controls' },
    h('label', null, 'Rank by ', (() => {
      const s = h('select', { testid: 'rank-by' }, h('option', { value: 'volume' }, 'volume'), h('option', { value: 'change' }, 'change'));
      s.value = by;
      s.onchange = () => { location.hash = hashFor([], { by: s.value, from, to }); };
      return s;
    })()),
    dateRange(from, to, (f, t) => { location.hash = hashFor([], { by, from: f, to: t }); }));
  ctx.root.append(h('div', { class: 'viewhead' }, h('h1', null, 'Overview'), controls));

  let rows: DyadRow[];
  try {
    rows = (await get<{ dyads: DyadRow[] }>('dyads', { by, from, to, limit: 50, weeks: 16 })).dyads;
  } catch (err) { ctx.root.append(errorBox(err)); return; }

  const list = watched();
  const watchedBox = h('div', { class: 'cards', testid: 'watched' });
  for (const d of list) {
    const r = rows.find(x => samePair(x, d));
    const [A, B] = d.split('-');
    watchedBox.appendChild(h('a', { class: 'card', href: `#/dyad/${d}`, testid: 'watched-card', 'data-dyad': d },
      h('div', { class: 'cardtitle' }, `${countryName(A) || A} ↔ ${countryName(B) || B}`, ' ', r ? alertBadge(r.alert) : null),
      h('div', { class: 'cardcodes muted' }, d),
      r ? h('div', { class: 'cardnums' },
        h('span', null, h('b', null, String(r.stories)), ' stories'),
        h('span', null, h('b', null, String(r.conflict_stories)), ' conflict'),
        h('span', { class: goldsteinClass(r.goldstein_mean) }, 'GS ', h('b', null, fmt(r.goldstein_mean, 2))),
        h('span', null, 'Δ ', h('b', null, signed(r.change, 2)))) : h('div', { class: 'muted' }, 'no events in range'),
      r ? sparkline(r.sparkline, 260, 36) : null,
      h('div', { class: 'cardlinks' },
        h('a', { href: `#/citizens/${A}/${B}` }, 'citizens abroad'), ' · ',
        h('a', { href: `#/exchanges/${d}` }, 'exchanges'), ' · ',
        h('a', { href: `#/map/${A}` }, 'map'))));
  }
  ctx.root.append(h('section', { class: 'panel' }, h('h2', null, 'Watched'), watchedBox));

  const tbody = h('tbody');
  for (const r of rows) {
    const key = `${r.a}-${r.b}`;
    const isWatched = list.some(d => samePair(r, d));
    const star = h('button', { class: `star ${isWatched ? 'on' : ''}`, title: isWatched ? 'stop watching' : 'watch', testid: 'watch-toggle' }, isWatched ? '★' : '☆');
    star.onclick = ev => {
      ev.stopPropagation();
      setWatched(isWatched ? list.filter(d => !samePair(r, d)) : [...list, key]);
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    };
    const open = () => { location.hash = `#/dyad/${key}`; };
    tbody.appendChild(h('tr', { class: 'clickable', testid: 'dyad-row', 'data-dyad': key, onclick: open },
      h('td', null, star),
      h('td', { class: 'nowrap' }, h('a', { href: `#/dyad/${key}`, testid: 'dyad-link' }, `${r.a} ↔ ${r.b}`)),
      h('td', { class: 'muted' }, `${r.a_name || countryName(r.a) || r.a} – ${r.b_name || countryName(r.b) || r.b}`),
      h('td', null, sparkline(r.sparkline)),
      h('td', { class: 'num' }, String(r.stories)),
      h('td', { class: 'num' }, String(r.events)),
      h('td', { class: 'num' }, String(r.conflict_stories)),
      h('td', { class: `num ${goldsteinClass(r.goldstein_mean)}` }, fmt(r.goldstein_mean, 2)),
      h('td', { class: 'num' }, signed(r.change, 2)),
      h('td', null, alertBadge(r.alert))));
  }
  ctx.root.append(h('section', { class: 'panel' }, h('h2', null, `Dyads by ${by}`, h('span', { class: 'muted small' }, ' — country pairs, stories counted once per story, sparkline = weekly stories')),
    rows.length ? h('table', { class: 'dense dyads', testid: 'dyads-table' },
      h('thead', null, h('tr', null, h('th'), h('th', null, 'Dyad'), h('th', null, 'Countries'), h('th', null, 'Trend'), h('th', { class: 'num' }, 'Stories'),
        h('th', { class: 'num' }, 'Events'), h('th', { class: 'num' }, 'Conflict'), h('th', { class: 'num' }, 'GS mean'), h('th', { class: 'num' }, 'Change'), h('th', null, 'Alert'))),
      tbody) : h('div', { class: 'empty', testid: 'dyads-table' }, 'No dyads in this range.')));
}

export function dateRange(from: string, to: string, onChange: (from: string, to: string) => void): HTMLElement {
  const f = h('input', { type: 'date', value: from, testid: 'from', 'aria-label': 'from' });
  const t = h('input', { type: 'date', value: to, testid: 'to', 'aria-label': 'to' });
  const apply = () => onChange(f.value, t.value);
  f.onchange = apply; t.onchange = apply;
  return h('span', { class: 'daterange' }, h('label', null, 'From ', f), h('label', null, ' to ', t),
    (from || to) ? h('button', { class: 'mini', onclick: () => onChange('', '') }, 'all dates') : null);
}
