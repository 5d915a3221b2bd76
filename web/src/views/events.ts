// Event search: any filter of /api/events (dyad, code, quad, q, story, ids, dates); also the
// landing page of drill-downs (alert evidence, a story's events).
import { h } from '../dom';
import { pagedEvents } from '../components';
import { type Ctx, hashFor } from '../router';

const KEYS = ['q', 'dyad', 'directed', 'code', 'quad', 'from', 'to', 'story', 'ids'] as const;

export function renderEvents(ctx: Ctx): void {
  const p = ctx.params;
  const val = (k: string) => p.get(k) ?? '';
  const inputs: Record<string, HTMLInputElement> = {};
  const field = (k: string, label: string, attrs: Record<string, string> = {}) => {
    const i = h('input', { value: val(k), testid: `search-${k}`, ...attrs });
    inputs[k] = i;
    return h('label', null, label, ' ', i);
  };
  const directed = h('input', { type: 'checkbox', testid: 'search-directed' });
  directed.checked = val('directed') === '1';
  const form = h('form', { class: 'searchform', testid: 'search-form' },
    field('q', 'Text', { placeholder: 'full-text over sentences', class: 'wide' }),
    field('dyad', 'Dyad', { placeholder: 'UZB-RUS', class: 'code' }), h('label', null, directed, ' directed'),
    field('code', 'CAMEO', { placeholder: 'prefix, e.g. 17', class: 'code' }),
    field('quad', 'Quad', { placeholder: '3,4', class: 'code' }),
    field('from', 'From', { type: 'date' }), field('to', 'To', { type: 'date' }),
    h('button', { type: 'submit' }, 'Search'));
  form.onsubmit = ev => {
    ev.preventDefault();
    const q: Record<string, string> = {};
    for (const k of KEYS) if (inputs[k]) q[k] = inputs[k].value.trim();
    q.directed = directed.checked ? '1' : '';
    location.hash = hashFor(['events'], q);
  };
  const title = val('title');
  const ids = val('ids'), story = val('story');
  ctx.root.append(h('div', { class: 'viewhead' }, h('h1', { testid: 'events-view-title' }, title || (story ? `Story ${story}` : ids ? 'Selected events' : 'Search events'))));
  if (ids) ctx.root.append(h('div', { class: 'muted small' }, `${ids.split(',').length} event ids · `, h('a', { href: '#/events' }, 'new search')));
  else ctx.root.append(form);
  // A search on a dyad and a code prefix can become an alert rule for dyad watch.
  const dyadVal = val('dyad').toUpperCase(), codeVal = val('code');
  if (!ids && /^[A-Z]{3}-[A-Z]{3}$/.test(dyadVal) && /^\d{1,4}$/.test(codeVal)) {
    ctx.root.append(h('div', { class: 'small' }, h('a', { class: 'btnlink', testid: 'subscribe',
      href: hashFor(['watch'], { dyad: dyadVal, kind: 'codes', codes: codeVal, name: `${dyadVal.toLowerCase()}-${codeVal}` }) },
    '🔔 alert me when such events appear')));
  }
  const params: Record<string, string | boolean> = {};
  for (const k of KEYS) if (val(k)) params[k] = val(k);
  ctx.root.append(h('section', { class: 'panel', testid: 'search-results' }, pagedEvents(params, { correct: true, empty: 'No events match.' })));
}
