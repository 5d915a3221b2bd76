// Evidence: an event (or a document) in its document — sentences, the event's sentence highlighted,
// the story's other documents, the source link and the "why" panel.
import { get, type Event, type Doc } from '../api';
import { h, highlight, extLink, quadBadge, fmt, goldsteinClass, errorBox, dyadLabel } from '../dom';
import { section, markWrong } from '../components';
import type { Ctx } from '../router';

export function whyPanel(e: Event): HTMLElement {
  const w = e.why;
  if (!w) return h('div', { class: 'muted', testid: 'why' }, 'No trace stored for this event.');
  return h('div', { class: 'why', testid: 'why' },
    h('dl', null,
      h('dt', null, 'Pattern'), h('dd', null, h('code', { testid: 'why-pattern' }, w.pattern || '—')),
      h('dt', null, 'Pattern origin'), h('dd', null, h('code', null, w.pattern_origin || '—')),
      h('dt', null, 'Source'), h('dd', null, h('mark', { class: 'hl-source' }, e.source_text ?? ''), ' → ', h('b', null, e.source), e.source_name ? ` (${e.source_name})` : ''),
      h('dt', null, 'Verb'), h('dd', null, h('mark', { class: 'hl-verb' }, e.verb_text ?? ''), ' → ', h('b', null, e.code), ` ${e.code_name ?? ''}`),
      h('dt', null, 'Target'), h('dd', null, h('mark', { class: 'hl-target' }, e.target_text ?? ''), ' → ', h('b', null, e.target), e.target_name ? ` (${e.target_name})` : ''),
      w.modality ? [h('dt', null, 'Modality'), h('dd', null, w.modality)] : null,
      w.issues && w.issues.length ? [h('dt', null, 'Issues'), h('dd', null, w.issues.join(', '))] : null,
      h('dt', null, 'Dictionary entries'),
      h('dd', null, h('ul', { class: 'entries' }, ...(w.entries ?? []).map(x => h('li', null, h('code', null, x)))))));
}

export function eventHeader(e: Event): HTMLElement {
  return h('div', { class: 'evhead', testid: 'event-head' },
    h('span', { class: 'date' }, e.date), ' ', dyadLabel(e), ' ',
    h('span', { class: 'cameo' }, e.code), ' ', h('b', null, e.code_name ?? ''), ' ', quadBadge(e.quad_class), ' ',
    h('span', { class: goldsteinClass(e.goldstein) }, `Goldstein ${fmt(e.goldstein)}`),
    e.source_name || e.target_name ? h('div', { class: 'muted small' }, `${e.source_name ?? e.source} → ${e.target_name ?? e.target}`) : null);
}

export async function renderEvidence(ctx: Ctx): Promise<void> {
  const [kind] = location.hash.replace(/^#\/?/, '').split('/');
  const id = Number(ctx.parts[0]);
  if (!Number.isInteger(id) || id < 0) { ctx.root.append(errorBox(new Error('bad id'))); return; }
  let ev: Event | null = null;
  let doc: Doc;
  try {
    if (kind === 'event') {
      ev = await get<Event>(`events/${id}`);
      if (ev.document_id === undefined) throw new Error('event has no document');
      doc = await get<Doc>(`documents/${ev.document_id}`);
    } else {
      doc = await get<Doc>(`documents/${id}`);
    }
  } catch (err) { ctx.root.append(errorBox(err)); return; }

  const e = ev;
  const back = h('button', { class: 'mini', onclick: () => history.back() }, '← back');
  ctx.root.append(h('div', { class: 'viewhead' },
    h('h1', { testid: 'evidence-title' }, e ? `Event ${e.id}` : `Document ${doc.id}`, h('span', { class: 'muted codes' }, ' evidence')), back));

  if (e) {
    const dyad = `${e.source.slice(0, 3)}-${e.target.slice(0, 3)}`;
    const wrongBtn = h('button', { class: 'danger', testid: 'evidence-mark-wrong' }, 'Mark wrong');
    wrongBtn.onclick = async () => { wrongBtn.disabled = true; if (await markWrong(e)) { wrongBtn.textContent = 'Marked wrong'; } else wrongBtn.disabled = false; };
    ctx.root.append(h('div', { class: 'twocol' },
      section('Event', eventHeader(e),
        h('blockquote', { class: 'evsentence', testid: 'evidence-sentence' }, highlight(e.sentence, e.spans)),
        h('div', { class: 'legend' }, h('span', null, h('mark', { class: 'hl-source' }, 'source')), h('span', null, h('mark', { class: 'hl-verb' }, 'verb')), h('span', null, h('mark', { class: 'hl-target' }, 'target'))),
        h('div', { class: 'actions' }, wrongBtn,
          /^[A-Z]{3}$/.test(dyad.slice(0, 3)) && /^[A-Z]{3}$/.test(dyad.slice(4)) && dyad.slice(0, 3) !== dyad.slice(4) ? h('a', { class: 'btnlink', href: `#/dyad/${dyad}` }, `dyad ${dyad}`) : null,
          e.story_id !== undefined ? h('a', { class: 'btnlink', href: `#/events?story=${e.story_id}` }, `all events of story ${e.story_id}`) : null,
          h('a', { class: 'btnlink', href: `#/explain?text=${encodeURIComponent(e.sentence)}&date=${e.date}` }, 'explain this sentence'))),
      section('Why — how it was coded', whyPanel(e))));
  }

  const evById = new Map<number, Event>();
  for (const x of doc.events ?? []) if (x.id !== undefined && x.id !== null) evById.set(x.id, x);
  const sentences = h('ol', { class: 'docsentences', testid: 'doc-sentences', start: 0 });
  for (const s of doc.sentences ?? []) {
    const focus = e !== null && (s.event_ids ?? []).includes(e.id ?? -1);
    const focusEv = focus ? e : null;
    const li = h('li', { class: `docsent ${focus ? 'focus' : ''} ${(s.event_ids ?? []).length ? 'hasev' : ''}`, testid: focus ? 'focus-sentence' : 'doc-sentence', value: s.idx },
      focusEv ? highlight(s.text, focusEv.sentence === s.text ? focusEv.spans : undefined) : s.text);
    for (const eid of s.event_ids ?? []) {
      const x = evById.get(eid);
      li.append(' ', h('a', { class: `evchip q${x?.quad_class ?? 0} ${e && eid === e.id ? 'cur' : ''}`, href: `#/event/${eid}`, title: x ? `${x.source}→${x.target} ${x.code} ${x.code_name ?? ''}` : `event ${eid}` },
        x ? `${x.source}→${x.target} ${x.code}` : `#${eid}`));
    }
    sentences.append(li);
  }
  const story = doc.story ?? [];
  ctx.root.append(h('div', { class: 'twocol wide' },
    section('Document',
      h('div', { class: 'doctitle', testid: 'doc-title' }, doc.title),
      h('div', { class: 'docmeta' }, h('span', { testid: 'doc-outlet' }, doc.outlet), ' · ', doc.date, doc.lang ? ` · ${doc.lang}` : '', ' · ',
        extLink(doc.url, doc.url || 'no link', 'source-link')),
      sentences),
    section(`Story ${doc.story_id ?? ''} — other documents`,
      story.length ? h('ul', { class: 'storylist', testid: 'story-docs' }, ...story.map(d => h('li', null,
        h('a', { href: `#/document/${d.id}` }, d.title), h('div', { class: 'muted small' }, `${d.outlet} · ${d.date} · `, extLink(d.url, 'source')))))
        : h('div', { class: 'muted', testid: 'story-docs' }, 'No other documents in this story.'))));
}
