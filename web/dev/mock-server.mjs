#!/usr/bin/env node
// DEV TOOL ONLY — a mock of `dyad serve` for working on the dashboard before/without the C++ server.
// Serves web/dist and canned answers shaped like docs/api.md, computed from data/sample/corpus.jsonl
// and web/dev/mock-events.jsonl (the output of `dyad code` on the sample). Its numbers are rough
// stand-ins for the real analyses; never test the real contract against it.
//   node web/dev/mock-server.mjs [--port 8099] [--token T] [--web web/dist] [--extra docs.jsonl ...]
import http from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { join, dirname, normalize, extname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');
const args = process.argv.slice(2);
const opt = (k, d) => { const i = args.indexOf(k); return i >= 0 ? args[i + 1] : d; };
const port = Number(opt('--port', 8099));
const token = opt('--token', 'dev-token');
const webDir = resolve(opt('--web', join(repo, 'web/dist')));
const extras = args.flatMap((a, i) => (a === '--extra' ? [args[i + 1]] : []));

// ---------- data ----------
const enc = new TextEncoder();
const cameo = new Map();
for (const line of readFileSync(join(repo, 'data/cameo.tsv'), 'utf8').split('\n')) {
  if (!line || line.startsWith('#') || line.startsWith('code\t')) continue;
  const [code, g, q, , name] = line.split('\t');
  cameo.set(code, { code, goldstein: Number(g), quad_class: Number(q), name: name.charAt(0) + name.slice(1).toLowerCase() });
}
const countryNames = { UZB: 'Uzbekistan', RUS: 'Russia', TJK: 'Tajikistan', KGZ: 'Kyrgyzstan', KAZ: 'Kazakhstan', CHN: 'China', IND: 'India', PAK: 'Pakistan', USA: 'United States', UKR: 'Ukraine', CAS: 'Central Asia' };
const iso2 = { UZB: 'UZ', RUS: 'RU', TJK: 'TJ', KGZ: 'KG', KAZ: 'KZ', CHN: 'CN', IND: 'IN', PAK: 'PK', USA: 'US', UKR: 'UA' };
const actorName = c => { const n = countryNames[c.slice(0, 3)]; return n ? `${n}${c.length > 3 ? ` (${c.slice(3)})` : ''}` : c; };

const docs = [];
const readJsonl = p => readFileSync(p, 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l));
for (const d of readJsonl(join(repo, 'data/sample/corpus.jsonl'))) docs.push(d);
const extraDocs = extras.flatMap(readJsonl);
docs.push(...extraDocs);
const splitSentences = text => text.split(/\n\n+/).flatMap(p => p.split(/(?<=[.!?]["”’']?)\s+(?=[A-Z"“])/)).map(s => s.trim()).filter(Boolean);
const storyOf = new Map([['sample-018', 'sample-017'], ['sample-032', 'sample-031'], ['sample-008', 'sample-007']]);
const docRows = docs.map((d, i) => ({ id: i + 1, key: d.id, title: d.title, url: d.url, outlet: d.source, date: d.date, lang: 'en', sentences: splitSentences(d.text) }));
const docByKey = new Map(docRows.map(d => [d.key, d]));
for (const d of docRows) d.story_id = docByKey.get(storyOf.get(d.key) ?? d.key).id;

let nextEventId = 1;
function makeEvent(raw, doc) {
  const s0 = raw.offsets?.sentence?.[0] ?? 0;
  const text = docs.find(x => x.id === doc.key).text;
  const byteBase = enc.encode(text.slice(0, s0)).length; // offsets from `dyad code` are characters here (ASCII corpus)
  void byteBase;
  const rel = k => raw.offsets?.[k] ? [raw.offsets[k][0] - s0, raw.offsets[k][1] - s0] : [0, 0];
  let idx = doc.sentences.findIndex(s => s === raw.sentence);
  if (idx < 0) idx = doc.sentences.findIndex(s => raw.sentence.startsWith(s.slice(0, 30)));
  if (idx < 0) { doc.sentences.push(raw.sentence); idx = doc.sentences.length - 1; }
  const c = cameo.get(raw.code) ?? { name: '?', goldstein: raw.goldstein, quad_class: raw.quad_class };
  return {
    id: nextEventId++, date: raw.date, source: raw.source, target: raw.target,
    source_name: actorName(raw.source), target_name: actorName(raw.target),
    code: raw.code, code_name: c.name, root: raw.root ?? raw.code.slice(0, 2), quad_class: raw.quad_class, goldstein: raw.goldstein,
    story_id: doc.story_id, document_id: doc.id, sentence_idx: idx, sentence: raw.sentence,
    spans: { source: rel('source'), target: rel('target'), verb: rel('verb') },
    source_text: raw.source_text, target_text: raw.target_text, verb_text: raw.verb_text,
    outlet: doc.outlet, url: doc.url, title: doc.title,
    why: { pattern: raw.pattern ?? '', pattern_origin: raw.pattern_origin ?? '', entries: raw.entries ?? [], modality: '', issues: [] },
  };
}
let events = [];
for (const raw of readJsonl(join(here, 'mock-events.jsonl'))) events.push(makeEvent(raw, docByKey.get(raw.doc_id)));
// Extra documents (e.g. the browser tests' XSS fixture): one synthetic RUSCOP→UZBLAB 173 per detention sentence.
for (const d of extraDocs) {
  const doc = docByKey.get(d.id);
  for (const s of doc.sentences) {
    const m = /detained/.exec(s);
    if (!m || !/Uzbek/.test(s)) continue;
    const b = enc.encode(s.slice(0, m.index)).length;
    const tIdx = s.indexOf('Uzbek workers');
    const ev = makeEvent({ date: d.date, source: 'RUSCOP', target: 'UZBLAB', code: '173', quad_class: 4, goldstein: -5, sentence: s, source_text: 'Russian police', target_text: 'Uzbek workers', verb_text: 'detained', pattern: '--- DETAIN [173] ---', pattern_origin: 'dyad.verbs.txt:4191', entries: ['source dyad.actors.txt:817 RUSSIA'] }, doc);
    ev.spans = { source: [0, 14], verb: [b, b + 8], target: tIdx < 0 ? [0, 0] : [enc.encode(s.slice(0, tIdx)).length, enc.encode(s.slice(0, tIdx)).length + 13] };
    events.push(ev);
  }
}
const deleted = new Map(); // id → event (marked wrong)
let seq = events.length;
const changes = events.map((e, i) => ({ seq: i + 1, event_id: e.id, document_id: e.document_id, kind: 'added', at: '2025-10-22T08:00:00Z' }));
const corrections = [];

// ---------- helpers ----------
const c3 = c => c.slice(0, 3);
const inDyad = (e, dyad, directed) => {
  if (!dyad) return true;
  const [a, b] = dyad.split('-');
  const fwd = e.source.startsWith(a) && e.target.startsWith(b);
  return directed ? fwd : fwd || (e.source.startsWith(b) && e.target.startsWith(a));
};
const inRange = (e, from, to) => (!from || e.date >= from) && (!to || e.date <= to);
const storyKey = e => `${e.story_id}|${e.source}|${e.target}|${e.code}`;
const stories = evs => new Set(evs.map(storyKey)).size;
const monday = d => { const t = new Date(`${d}T00:00:00Z`); const wd = (t.getUTCDay() + 6) % 7; t.setUTCDate(t.getUTCDate() - wd); return t.toISOString().slice(0, 10); };
const bucketOf = (d, b) => (b === 'day' ? d : b === 'month' ? `${d.slice(0, 7)}-01` : monday(d));
const nextBucket = (d, b) => { const t = new Date(`${d}T00:00:00Z`); if (b === 'day') t.setUTCDate(t.getUTCDate() + 1); else if (b === 'month') t.setUTCMonth(t.getUTCMonth() + 1); else t.setUTCDate(t.getUTCDate() + 7); return t.toISOString().slice(0, 10); };
const bucketsBetween = (a, z, b) => { const out = []; for (let d = bucketOf(a, b); d <= z; d = nextBucket(d, b)) out.push(d); return out; };
const newest = (x, y) => (y.date.localeCompare(x.date) || y.id - x.id);
const live = () => events.filter(e => !deleted.has(e.id));
const side = evs => {
  const quad = [0, 0, 0, 0];
  const seen = new Set();
  for (const e of evs) { const k = storyKey(e); if (!seen.has(k)) { seen.add(k); quad[e.quad_class - 1]++; } }
  const gs = evs.reduce((s, e) => s + e.goldstein, 0);
  return { stories: seen.size, events: evs.length, quad, goldstein_mean: evs.length ? gs / evs.length : null, goldstein_sum: gs };
};
const page = (list, q) => {
  const limit = Math.min(500, Number(q.get('limit') ?? 50) || 50);
  const off = Number(q.get('cursor') ?? 0) || 0;
  const slice = list.slice(off, off + limit);
  return [slice, off + limit < list.length ? String(off + limit) : null];
};
function filterEvents(q) {
  const dyad = q.get('dyad'), directed = q.get('directed') === '1';
  const code = q.get('code'), quad = q.get('quad')?.split(',').map(Number), text = q.get('q')?.toLowerCase();
  const story = q.get('story'), ids = q.get('ids')?.split(',').map(Number);
  return live().filter(e => inDyad(e, dyad, directed) && inRange(e, q.get('from'), q.get('to')) && (!code || e.code.startsWith(code))
    && (!quad || quad.includes(e.quad_class)) && (!text || e.sentence.toLowerCase().includes(text)) && (!story || e.story_id === Number(story))
    && (!ids || ids.includes(e.id))).sort(newest);
}
const isCountry = c => /^[A-Z]{3}$/.test(c3(c)) && !c.startsWith('IGO') && c3(c) !== '---';

// ---------- analyses (rough) ----------
function weeklyConflict(dyad) {
  const m = new Map();
  for (const e of live()) if (inDyad(e, dyad, false) && e.quad_class >= 3) { const w = monday(e.date); if (!m.has(w)) m.set(w, new Set()); m.get(w).add(storyKey(e)); }
  return m;
}
function alertsFor(dyad, asOf) {
  const m = weeklyConflict(dyad);
  const out = [];
  const all = live().filter(e => inDyad(e, dyad, false));
  if (!all.length) return out;
  const first = monday(all.reduce((a, e) => (e.date < a ? e.date : a), '9999'));
  for (const w of bucketsBetween(first, asOf, 'week')) {
    const n = m.get(w)?.size ?? 0;
    const back = k => { let s = 0; let d = w; for (let i = 0; i < k; i++) { d = new Date(Date.parse(d) - 7 * 86400e3).toISOString().slice(0, 10); s += m.get(d)?.size ?? 0; } return s / k; };
    const b4 = back(4), b52 = back(52), pm = b4;
    let status = 'normal', rule = '';
    if (n > 0 && pm < 1) { status = 'limited_change'; rule = 'previous month weekly mean below 1: limited change'; }
    else if (n > 1.25 * b4 && n > 1.25 * b52) { status = 'fired'; rule = 'conflict stories > 1.25 × 4-week and 52-week norms'; }
    else if (n >= 2 * pm && pm >= 1) { status = 'fired'; rule = '≥ 2 × previous month weekly mean'; }
    const evs = all.filter(e => monday(e.date) === w && e.quad_class >= 3);
    if (n || status !== 'normal') out.push({ dyad, week: w, status, rule, stories: n, baseline_4w: b4, baseline_52w: b52, prev_month_mean: pm, story_ids: [...new Set(evs.map(e => e.story_id))], event_ids: evs.map(e => e.id) });
  }
  // The sample is sparse: force the UZB–RUS week of 2025-01-13 to fire so the dashboard shows one.
  for (const a of out) if (a.week === '2025-01-13' && dyad === 'RUS-UZB') { a.status = 'fired'; a.rule = 'mock: forced to fire'; }
  return out;
}
const pairs = () => {
  const m = new Map();
  for (const e of live()) {
    if (!isCountry(e.source) || !isCountry(e.target) || c3(e.source) === c3(e.target)) continue;
    const [a, b] = [c3(e.source), c3(e.target)].sort();
    const k = `${a}-${b}`;
    if (!m.has(k)) m.set(k, []);
    m.get(k).push(e);
  }
  return m;
};
const classify = r => (!r ? 'none' : /^0[3-8]/.test(r.code) ? 'cooperative' : /^1[3-9]|^2/.test(r.code) ? 'hostile' : 'dismissive');

// ---------- routes ----------
const routes = {
  health: () => ({ status: 'ok', backend: 'mock', schema: 4, documents: docRows.length, stories: new Set(docRows.map(d => d.story_id)).size, events: live().length, seq, writable: !!token }),
  events: q => { const [evs, next] = page(filterEvents(q), q); return { events: evs, next_cursor: next }; },
  dyads: q => {
    const weeks = Number(q.get('weeks') ?? 12);
    const all = live();
    const last = all.reduce((a, e) => (e.date > a ? e.date : a), '0000');
    const wk = bucketsBetween(new Date(Date.parse(last) - (weeks - 1) * 7 * 86400e3).toISOString().slice(0, 10), last, 'week');
    const rows = [...pairs()].map(([k, evs]) => {
      evs = evs.filter(e => inRange(e, q.get('from'), q.get('to')));
      const [a, b] = k.split('-');
      const al = alertsFor(k, last).filter(x => x.status === 'fired').pop() ?? null;
      const half = Math.floor(evs.length / 2);
      return { a, b, a_name: countryNames[a] ?? a, b_name: countryNames[b] ?? b, stories: stories(evs), events: evs.length,
        conflict_stories: stories(evs.filter(e => e.quad_class >= 3)), goldstein_mean: evs.length ? evs.reduce((s, e) => s + e.goldstein, 0) / evs.length : null,
        change: evs.length ? (evs.length - 2 * half) / Math.max(1, half) + (stories(evs) % 3) - 1 : 0,
        sparkline: wk.map(w => stories(evs.filter(e => monday(e.date) === w))),
        alert: al ? { status: 'fired', rule: al.rule } : null };
    }).filter(r => r.events > 0);
    rows.sort(q.get('by') === 'change' ? (x, y) => Math.abs(y.change) - Math.abs(x.change) : (x, y) => y.stories - x.stories);
    return { dyads: rows.slice(0, Number(q.get('limit') ?? 20)) };
  },
  timeline: q => {
    const dyad = q.get('dyad'); if (!dyad) throw [400, 'dyad is required'];
    const b = q.get('bucket') ?? 'week';
    const [A, B] = dyad.split('-');
    const evs = live().filter(e => inDyad(e, dyad, false) && inRange(e, q.get('from'), q.get('to')));
    if (!evs.length) return { a: A, b: B, bucket: b, buckets: [] };
    const dates = evs.map(e => e.date).sort();
    return { a: A, b: B, bucket: b, buckets: bucketsBetween(dates[0], dates.at(-1), b).map(s => {
      const inB = e => bucketOf(e.date, b) === s;
      return { start: s, ab: side(evs.filter(e => inB(e) && inDyad(e, `${A}-${B}`, true))), ba: side(evs.filter(e => inB(e) && inDyad(e, `${B}-${A}`, true))) };
    }) };
  },
  sources: q => {
    const b = q.get('bucket') === 'day' ? 'day' : 'week';
    const dyad = q.get('dyad');
    const carrying = dyad ? new Set(live().filter(e => inDyad(e, dyad, false)).map(e => e.outlet)) : null;
    const ds = docRows.filter(d => (!carrying || carrying.has(d.outlet)) && inRange(d, q.get('from'), q.get('to')));
    if (!ds.length) return { bucket: b, outlets: [], gaps: [] };
    const dates = ds.map(d => d.date).sort();
    const all = bucketsBetween(q.get('from') || dates[0], q.get('to') || dates.at(-1), b);
    const outlets = [...new Set(ds.map(d => d.outlet))].map(o => {
      const mine = ds.filter(d => d.outlet === o);
      return { outlet: o, total: mine.length, counts: all.map(s => ({ start: s, documents: mine.filter(d => bucketOf(d.date, b) === s).length })) };
    });
    const gaps = [];
    for (const o of outlets) {
      const idx = o.counts.map((c, i) => (c.documents ? i : -1)).filter(i => i >= 0);
      for (let k = 0; k + 1 < idx.length; k++) if (idx[k + 1] - idx[k] > 8) gaps.push({ outlet: o.outlet, from: o.counts[idx[k] + 1].start, to: o.counts[idx[k + 1] - 1].start });
    }
    return { bucket: b, outlets, gaps };
  },
  citizens: q => {
    const A = q.get('of'), B = q.get('in');
    if (!A || !B) throw [400, 'of and in are required'];
    const evs = live().filter(e => e.source.startsWith(B) && e.target.startsWith(A) && /(CVL|LAB|REF|MIG)$/.test(e.target) && inRange(e, q.get('from'), q.get('to'))).sort(newest);
    const kinds = { detention: 0, deportation: 0, assault: 0, raid: 0, restriction: 0, recruitment: 0, other: 0 };
    for (const e of evs) {
      const k = e.code.startsWith('173') ? 'detention' : e.code.startsWith('174') ? 'deportation' : e.code.startsWith('18') ? 'assault' : e.code.startsWith('17') ? 'raid' : e.code.startsWith('16') ? 'restriction' : 'other';
      kinds[k]++;
    }
    const responses = live().filter(e => e.source.startsWith(A + 'GOV') && e.target.startsWith(B) && inRange(e, q.get('from'), q.get('to'))).sort(newest);
    const ws = evs.length ? bucketsBetween([...evs].sort((x, y) => x.date.localeCompare(y.date))[0].date, evs[0].date, 'week') : [];
    return { of: A, in: B, kinds, timeline: ws.map(w => ({ start: w, stories: stories(evs.filter(e => monday(e.date) === w)), conflict_stories: stories(evs.filter(e => monday(e.date) === w && e.quad_class >= 3)) })), events: evs, responses, next_cursor: null };
  },
  exchanges: q => {
    const A = q.get('a'), B = q.get('b'), win = Number(q.get('window') ?? 14);
    const out = [];
    for (const [ini, res] of [[A, B], [B, A]]) {
      const openings = live().filter(e => e.source.startsWith(ini) && e.target.startsWith(res) && /^(1[0-3]|16)/.test(e.code) && inRange(e, q.get('from'), q.get('to')));
      const seen = new Set();
      for (const o of openings.sort((x, y) => x.date.localeCompare(y.date))) {
        if (seen.has(o.story_id)) continue; seen.add(o.story_id);
        const limit = new Date(Date.parse(o.date) + win * 86400e3).toISOString().slice(0, 10);
        const replies = live().filter(e => e.source.startsWith(res) && (e.target.startsWith(ini) || e.target.startsWith(res + 'COP')) && e.date > o.date && e.date <= limit).sort((x, y) => x.date.localeCompare(y.date));
        const first = replies[0];
        out.push({ initiator: ini, responder: res, opening: o, replies, reply_class: classify(first), latency_days: first ? Math.round((Date.parse(first.date) - Date.parse(o.date)) / 86400e3) : null });
      }
    }
    return { exchanges: out.sort((x, y) => y.opening.date.localeCompare(x.opening.date)), unanswered: out.filter(x => x.reply_class === 'none').length };
  },
  alerts: q => {
    const last = live().reduce((a, e) => (e.date > a ? e.date : a), '0000');
    const asOf = q.get('as_of') || last;
    const ds = q.get('dyad') ? [q.get('dyad').split('-').sort().join('-')] : [...pairs().keys()];
    return { config: { ratio_4w: 1.25, ratio_52w: 1.25, ratio_prev_month: 2, floor: 1 }, alerts: ds.flatMap(d => alertsFor(d, asOf)) };
  },
  map: q => {
    const A = q.get('actor'); if (!A) throw [400, 'actor is required'];
    const m = new Map();
    for (const e of live()) {
      if (!inRange(e, q.get('from'), q.get('to'))) continue;
      let o = null;
      if (e.source.startsWith(A) && isCountry(e.target)) o = c3(e.target); else if (e.target.startsWith(A) && isCountry(e.source)) o = c3(e.source);
      if (!o || o === A) continue;
      if (!m.has(o)) m.set(o, []); m.get(o).push(e);
    }
    return { actor: A, countries: [...m].map(([c, evs]) => ({ code: c, iso2: iso2[c] ?? '', name: countryNames[c] ?? c, stories: stories(evs), events: evs.length, goldstein_mean: evs.reduce((s, e) => s + e.goldstein, 0) / evs.length })) };
  },
  codes: () => ({ codes: [...cameo.values()].map(c => ({ code: c.code, name: c.name, goldstein: c.goldstein, quad_class: c.quad_class })) }),
  changes: q => { const since = Number(q.get('since') ?? 0); const c = changes.filter(x => x.seq > since).slice(0, Number(q.get('limit') ?? 1000)); return { changes: c, next: c.length ? c.at(-1).seq : since, latest: seq }; },
  explain: q => {
    const text = q.get('text') ?? '';
    const evs = live().filter(e => e.sentence === text || text.includes(e.sentence)).map(({ id, document_id, story_id, ...rest }) => rest);
    return { events: evs, trace: ['tokens: ' + text.split(/\s+/).slice(0, 40).join(' | '), `matched ${evs.length} stored sentence(s) (mock: no real coder)`, ...evs.map(e => `event ${e.source} ${e.code} ${e.target} via ${e.why.pattern}`)] };
  },
};

function correctionDiff(body) {
  if (body.kind === 'event_wrong') {
    const e = events.find(x => x.id === Number(body.event_id) && !deleted.has(x.id));
    if (!e) throw [404, 'no such event'];
    return { documents: 1, added: [], removed: [e] };
  }
  if (!body.phrase || !body.code) throw [400, 'phrase and code are required'];
  const words = String(body.phrase).toLowerCase();
  const hit = live().filter(e => e.sentence.toLowerCase().includes(words));
  const added = hit.map(e => ({ ...e, id: null, ...(body.kind === 'verb' ? { code: body.code, code_name: cameo.get(body.code)?.name ?? '?' } : { target: body.code }) }));
  return { documents: new Set(hit.map(e => e.document_id)).size, document_ids: [...new Set(hit.map(e => e.document_id))], added, removed: hit, updated: [], events_altered: added.length + hit.length, truncated: false };
}
function applyCorrection(body, holder = 'test-token holder') {
  const d = correctionDiff(body);
  for (const e of d.removed) { deleted.set(e.id, e); changes.push({ seq: ++seq, event_id: e.id, document_id: e.document_id, kind: 'deleted', at: new Date().toISOString() }); }
  const added = d.added.map(e => { const n = { ...e, id: nextEventId++ }; events.push(n); changes.push({ seq: ++seq, event_id: n.id, document_id: n.document_id, kind: 'added', at: new Date().toISOString() }); return n; });
  const c = { id: corrections.length + 1, at: new Date().toISOString().slice(0, 19) + 'Z', holder, kind: body.kind,
    summary: body.kind === 'event_wrong' ? `event ${body.event_id} marked wrong` : `${body.kind} "${body.phrase}" → ${body.code}`,
    events_altered: d.removed.length + added.length, reverted_by: null, reverts: null, _removed: d.removed.map(e => e.id), _added: added.map(e => e.id) };
  corrections.unshift(c);
  return { correction: pub(c), documents: d.documents, document_ids: d.document_ids, added, removed: d.removed, updated: [], events_altered: c.events_altered, truncated: false };
}
const pub = c => { const { _removed, _added, ...rest } = c; return rest; };
function revert(id) {
  const c = corrections.find(x => x.id === id);
  if (!c) throw [404, 'no such correction'];
  if (c.reverted_by) throw [400, 'already reverted'];
  for (const eid of c._removed) { deleted.delete(eid); changes.push({ seq: ++seq, event_id: eid, document_id: 0, kind: 'added', at: new Date().toISOString() }); }
  for (const eid of c._added) { deleted.set(eid, true); changes.push({ seq: ++seq, event_id: eid, document_id: 0, kind: 'deleted', at: new Date().toISOString() }); }
  const r = { id: corrections.length + 1, at: new Date().toISOString().slice(0, 19) + 'Z', holder: c.holder, kind: 'revert', summary: `revert #${c.id}: ${c.summary}`, events_altered: c.events_altered, reverted_by: null, reverts: c.id, _removed: [], _added: [] };
  c.reverted_by = r.id;
  corrections.unshift(r);
  return pub(r);
}

// ---------- server ----------
const types = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.txt': 'text/plain' };
function send(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}
async function readBody(req) { let s = ''; for await (const c of req) { s += c; if (s.length > 65536) throw [413, 'body too large']; } return s ? JSON.parse(s) : {}; }

http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const path = url.pathname;
  try {
    if (path.startsWith('/api/')) {
      const parts = path.slice(5).split('/');
      if (req.method === 'POST') {
        if (!token) throw [403, 'read-only server'];
        if (req.headers.authorization !== `Bearer ${token}`) throw [401, 'write needs a valid token'];
        const body = await readBody(req);
        if (parts[0] === 'corrections' && parts[1] === 'preview') return send(res, 200, correctionDiff(body));
        if (parts[0] === 'corrections' && parts.length === 1) return send(res, 200, applyCorrection(body));
        if (parts[0] === 'corrections' && parts[2] === 'revert') return send(res, 200, revert(Number(parts[1])));
        if (parts[0] === 'explain') { url.searchParams.set('text', body.text ?? ''); return send(res, 200, routes.explain(url.searchParams)); }
        throw [404, 'no such route'];
      }
      if (parts[0] === 'events' && parts[1]) { const e = events.find(x => x.id === Number(parts[1]) && !deleted.has(x.id)); if (!e) throw [404, 'no such event']; return send(res, 200, e); }
      if (parts[0] === 'documents' && parts[1]) {
        const d = docRows.find(x => x.id === Number(parts[1])); if (!d) throw [404, 'no such document'];
        const evs = live().filter(e => e.document_id === d.id);
        return send(res, 200, { id: d.id, title: d.title, url: d.url, outlet: d.outlet, date: d.date, lang: d.lang, story_id: d.story_id,
          sentences: d.sentences.map((t, i) => ({ idx: i, text: t, event_ids: evs.filter(e => e.sentence_idx === i).map(e => e.id) })), events: evs,
          story: docRows.filter(x => x.story_id === d.story_id && x.id !== d.id).map(x => ({ id: x.id, title: x.title, outlet: x.outlet, date: x.date, url: x.url })) });
      }
      if (parts[0] === 'corrections' && parts.length === 1) return send(res, 200, { corrections: corrections.map(pub) });
      const r = routes[parts[0]];
      if (!r || parts.length > 1) throw [404, 'no such route'];
      return send(res, 200, r(url.searchParams));
    }
    // static
    let rel = normalize(decodeURIComponent(path)).replace(/^(\.\.[/\\])+/, '');
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = join(webDir, rel);
    if (!file.startsWith(webDir) || !existsSync(file) || !statSync(file).isFile()) throw [404, 'not found'];
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  } catch (err) {
    if (Array.isArray(err)) return send(res, err[0], { error: err[1] });
    console.error(err);
    send(res, 500, { error: String(err?.message ?? err) });
  }
}).listen(port, '127.0.0.1', () => console.log(`mock dyad serve on http://127.0.0.1:${port}/ (token ${token || 'none'}, web ${webDir})`));
