// Shared pieces: the event table (with paging, highlights and "mark wrong"), toasts.
import { get, post, type Event, type EventsPage, type Params, type Diff, getToken } from './api';
import { h, clear, highlight, dyadLabel, quadBadge, fmt, goldsteinClass, errorBox } from './dom';

export function toast(msg: string, kind: 'ok' | 'err' = 'ok'): void {
  const box = document.getElementById('toasts');
  if (!box) return;
  const t = h('div', { class: `toast ${kind}`, testid: 'toast', role: 'status' }, msg);
  box.appendChild(t);
  setTimeout(() => t.remove(), kind === 'err' ? 8000 : 4000);
}

export interface TableOpts {
  /** Show the "mark wrong" button on each row. */
  correct?: boolean;
  compact?: boolean;
  empty?: string;
  testid?: string;
}

export async function markWrong(e: Event, note = ''): Promise<boolean> {
  if (!getToken()) {
    toast('Writes need a token: set it in Corrections → token.', 'err');
    return false;
  }
  try {
    await post<Diff>('corrections', { kind: 'event_wrong', event_id: e.id, note });
    toast(`Event ${e.id} marked wrong`);
    return true;
  } catch (err) {
    toast(`Mark wrong failed: ${(err as Error).message}`, 'err');
    return false;
  }
}

export function eventRow(e: Event, opts: TableOpts = {}): HTMLTableRowElement {
  const stored = e.id !== undefined && e.id !== null;
  const open = () => { if (stored) location.hash = `#/event/${e.id}`; };
  const tr = h('tr', {
    class: `evrow${stored ? ' clickable' : ''}`, testid: 'event-row',
    'data-event-id': e.id ?? '', tabindex: stored ? 0 : null,
    onclick: open, onkeydown: ((ev: KeyboardEvent) => { if (ev.key === 'Enter') open(); }) as EventListener,
  },
    h('td', { class: 'date nowrap' }, e.date),
    h('td', { class: 'nowrap' }, dyadLabel(e)),
    h('td', { class: 'code' }, h('span', { class: 'cameo' }, e.code), ' ', h('span', { class: 'codename' }, e.code_name ?? ''), ' ', quadBadge(e.quad_class)),
    h('td', { class: `num ${goldsteinClass(e.goldstein)}` }, fmt(e.goldstein)),
    h('td', { class: 'sentence' }, highlight(e.sentence, e.spans)),
    h('td', { class: 'outlet nowrap', title: e.title ?? '' }, e.outlet ?? ''),
  );
  if (opts.correct && stored) {
    const btn = h('button', {
      class: 'mini danger', testid: 'mark-wrong', title: 'Mark this event wrong (needs the token)',
      onclick: (async (ev: MouseEvent) => {
        ev.stopPropagation();
        btn.disabled = true;
        if (await markWrong(e)) tr.remove(); else btn.disabled = false;
      }) as unknown as EventListener,
    }, '✕ wrong');
    tr.appendChild(h('td', { class: 'nowrap' }, btn));
  } else if (opts.correct) {
    tr.appendChild(h('td'));
  }
  return tr;
}

export function eventTable(events: Event[], opts: TableOpts = {}): HTMLElement {
  const tbody = h('tbody');
  for (const e of events) tbody.appendChild(eventRow(e, opts));
  const table = h('table', { class: 'events dense', testid: opts.testid ?? 'event-table' },
    h('thead', null, h('tr', null, h('th', null, 'Date'), h('th', null, 'Source → target'), h('th', null, 'Event'),
      h('th', { class: 'num', title: 'Goldstein scale' }, 'GS'), h('th', null, 'Sentence'), h('th', null, 'Outlet'),
      opts.correct ? h('th') : null)),
    tbody);
  if (!events.length) return h('div', { class: 'empty', testid: opts.testid ?? 'event-table' }, opts.empty ?? 'No events.');
  return table;
}

/** A paged event list over /api/events: first page now, "more" appends. */
export function pagedEvents(params: Params, opts: TableOpts = {}): HTMLElement {
  const wrap = h('div', { class: 'paged' });
  const status = h('div', { class: 'tablestatus' });
  let table: HTMLElement | null = null;
  let tbody: HTMLElement | null = null;
  let shown = 0;
  const more = h('button', { class: 'mini', testid: 'more-events' }, 'More');
  more.style.display = 'none';
  const load = async (cursor?: string) => {
    more.disabled = true;
    try {
      const page = await get<EventsPage>('events', { limit: 100, ...params, cursor });
      if (!table) {
        table = eventTable(page.events, opts);
        tbody = table.querySelector('tbody');
        wrap.insertBefore(table, status);
      } else if (tbody) {
        for (const e of page.events) tbody.appendChild(eventRow(e, opts));
      }
      shown += page.events.length;
      status.textContent = shown ? `${shown} event rows${page.next_cursor ? ' (more available)' : ''}` : '';
      more.style.display = page.next_cursor ? '' : 'none';
      more.onclick = () => load(page.next_cursor ?? undefined);
    } catch (err) {
      clear(status);
      status.appendChild(errorBox(err));
    } finally { more.disabled = false; }
  };
  wrap.append(status, more);
  void load();
  return wrap;
}

export function section(title: string, ...children: (Node | string | null)[]): HTMLElement {
  return h('section', { class: 'panel' }, h('h2', null, title), ...children);
}
