// Exchanges: each side's openings (complaints, demands, accusations, protests, threats) and the
// other side's replies within the window, with latency and the reply class.
import { get, type Exchanges, type Event } from '../api';
import { h, errorBox, highlight, quadBadge } from '../dom';
import { type Ctx, parseDyad, hashFor } from '../router';
import { countryName } from '../countries';
import { dateRange } from './overview';

function evLine(e: Event, testid: string): HTMLElement {
  return h('a', { class: 'exev', href: e.id !== undefined && e.id !== null ? `#/event/${e.id}` : null, testid, 'data-event-id': e.id ?? '' },
    h('span', { class: 'date' }, e.date), ' ',
    h('b', null, `${e.source}→${e.target}`), ' ', h('span', { class: 'cameo' }, e.code), ' ', h('span', { class: 'codename' }, e.code_name ?? ''), ' ', quadBadge(e.quad_class),
    h('div', { class: 'exsent' }, highlight(e.sentence, e.spans)),
    h('div', { class: 'muted small' }, e.outlet ?? ''));
}

export async function renderExchanges(ctx: Ctx): Promise<void> {
  const pair = parseDyad(ctx.parts[0] ?? 'UZB-RUS');
  if (!pair) { ctx.root.append(errorBox(new Error('bad dyad'))); return; }
  const [A, B] = pair;
  const p = ctx.params;
  const win = Math.max(1, Math.min(365, Number(p.get('window') ?? 14) || 14));
  const from = p.get('from') ?? '', to = p.get('to') ?? '';
  const go = (u: Record<string, string | number>) => { location.hash = hashFor(['exchanges', `${A}-${B}`], { window: win, from, to, ...u }); };
  const winIn = h('input', { type: 'number', min: 1, max: 365, value: win, class: 'num3', testid: 'window' });
  winIn.onchange = () => go({ window: winIn.value });
  ctx.root.append(h('div', { class: 'viewhead' },
    h('h1', null, `Exchanges ${countryName(A) || A} ↔ ${countryName(B) || B}`, h('span', { class: 'muted codes' }, ` ${A}-${B}`)),
    h('div', { class: 'controls' }, h('label', null, 'Reply window ', winIn, ' days'), dateRange(from, to, (f, t) => go({ from: f, to: t })),
      h('a', { class: 'btnlink', href: `#/dyad/${A}-${B}` }, `dyad ${A}-${B}`))));
  let x: Exchanges;
  try { x = await get<Exchanges>('exchanges', { a: A, b: B, window: win, from, to }); } catch (err) { ctx.root.append(errorBox(err)); return; }

  const counts: Record<string, number> = {};
  for (const e of x.exchanges) counts[e.reply_class] = (counts[e.reply_class] ?? 0) + 1;
  ctx.root.append(h('div', { class: 'stats' },
    h('div', { class: 'stat' }, h('div', { class: 'statv' }, String(x.exchanges.length)), h('div', { class: 'statl' }, 'openings')),
    ...['cooperative', 'dismissive', 'hostile', 'none'].map(k => h('div', { class: `stat rc-${k}` }, h('div', { class: 'statv' }, String(counts[k] ?? 0)), h('div', { class: 'statl' }, k === 'none' ? 'no reply' : k))),
    h('div', { class: 'stat' }, h('div', { class: 'statv', testid: 'unanswered' }, String(x.unanswered)), h('div', { class: 'statl' }, 'unanswered'))));

  const list = h('div', { class: 'exlist', testid: 'exchanges' });
  if (!x.exchanges.length) list.append(h('div', { class: 'empty' }, 'No openings in this range.'));
  for (const ex of x.exchanges) {
    const card = h('div', { class: `exchange rc-${ex.reply_class}`, testid: 'exchange', 'data-reply-class': ex.reply_class },
      h('div', { class: 'exhead' },
        h('span', { class: `badge rc-${ex.reply_class}`, testid: 'reply-class' }, ex.reply_class === 'none' ? 'no reply' : ex.reply_class),
        ' ', h('b', null, `${ex.initiator} → ${ex.responder}`),
        ex.latency_days !== null ? h('span', { class: 'latency', testid: 'latency' }, ` replied after ${ex.latency_days} day${ex.latency_days === 1 ? '' : 's'}`) : h('span', { class: 'latency muted' }, ` no reply within ${win} days`)),
      h('div', { class: 'exbody' },
        h('div', { class: 'excol' }, h('div', { class: 'exlabel' }, 'Opening'), evLine(ex.opening, 'opening')),
        h('div', { class: 'exarrow' }, '⟶'),
        h('div', { class: 'excol' }, h('div', { class: 'exlabel' }, `Replies (${ex.reply_count ?? ex.replies.length}${(ex.reply_count ?? 0) > ex.replies.length ? `, first ${ex.replies.length} shown` : ''})`),
          ex.replies.length ? ex.replies.map(r => evLine(r, 'reply')) : h('div', { class: 'muted' }, '—'))));
    list.append(card);
  }
  ctx.root.append(h('section', { class: 'panel' }, h('h2', null, 'Openings and replies'), list));
}
