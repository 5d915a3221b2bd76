// Explain: type a sentence, see the events dyad would code and the coder's trace.
import { get, type Explain } from '../api';
import { h, clear, errorBox } from '../dom';
import { eventTable } from '../components';
import { whyPanel } from './evidence';
import { type Ctx, setHashParams } from '../router';

export function renderExplain(ctx: Ctx): void {
  const text = h('textarea', { rows: 3, class: 'explainbox', testid: 'explain-text', placeholder: 'Russian police detained 12 Uzbek workers in Moscow on Monday.' });
  text.value = ctx.params.get('text') ?? '';
  const date = h('input', { type: 'date', value: ctx.params.get('date') ?? '', testid: 'explain-date' });
  const out = h('div', { testid: 'explain-out' });
  const btn = h('button', { type: 'submit', testid: 'explain-run' }, 'Explain');
  const form = h('form', { class: 'explainform' }, text, h('div', { class: 'controls' }, h('label', null, 'Date ', date), btn));
  const run = async () => {
    const t = text.value.trim();
    if (!t) return;
    setHashParams({ text: t, date: date.value || null });
    btn.disabled = true;
    clear(out);
    try {
      // GET: reads need no token (POST is for texts longer than a query string allows).
      const r = await get<Explain>('explain', { text: t, date: date.value });
      out.append(h('section', { class: 'panel' }, h('h2', null, `Events (${r.events.length})`), eventTable(r.events, { empty: 'No events coded from this text.', testid: 'explain-events' })));
      for (const e of r.events) out.append(h('section', { class: 'panel' }, h('h3', null, `Why ${e.source}→${e.target} ${e.code}`), whyPanel(e)));
      out.append(h('section', { class: 'panel' }, h('h2', null, 'Trace'), h('pre', { class: 'trace', testid: 'explain-trace' }, (r.trace ?? []).join('\n'))));
    } catch (err) { out.append(errorBox(err)); } finally { btn.disabled = false; }
  };
  form.onsubmit = ev => { ev.preventDefault(); void run(); };
  ctx.root.append(h('div', { class: 'viewhead' }, h('h1', null, 'Explain a sentence')),
    h('section', { class: 'panel' }, h('div', { class: 'muted small' }, 'Codes the text without storing it and shows every step: tokens, actors, verbs, patterns, events.'), form), out);
  if (text.value) void run();
}
