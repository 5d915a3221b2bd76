// DOM helpers. Every string goes in as a text node or an attribute value set through the DOM;
// nothing in the dashboard assigns innerHTML/outerHTML or uses insertAdjacentHTML.
import type { Event, Spans } from './api';

type Child = Node | string | number | null | undefined | false | Child[];
type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2), v as EventListener);
      } else if (k === 'testid') {
        el.setAttribute('data-testid', String(v));
      } else if (k === 'href') {
        // Only in-app hash links or http(s) URLs; anything else (javascript:, data:) is dropped.
        const s = String(v);
        if (s.startsWith('#') || safeUrl(s)) el.setAttribute('href', s);
      } else if (v === true) {
        el.setAttribute(k, '');
      } else {
        el.setAttribute(k, String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el: Element): void { while (el.firstChild) el.removeChild(el.firstChild); }

export function svg(tag: string, attrs: Record<string, string | number>): SVGElement {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** The URL if it is an absolute http(s) URL, else null. */
export function safeUrl(u: string | undefined | null): string | null {
  if (!u) return null;
  try {
    const p = new URL(u);
    return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : null;
  } catch { return null; }
}

/** An external link when the URL is http(s); the bare text otherwise. */
export function extLink(url: string | undefined, text: string, testid?: string): HTMLElement {
  const u = safeUrl(url);
  if (!u) return h('span', { class: 'muted', testid, title: 'no http(s) link' }, text);
  return h('a', { href: u, target: '_blank', rel: 'noopener noreferrer nofollow', testid, class: 'ext' }, text);
}

export const QUAD_NAMES = ['', 'Verbal cooperation', 'Material cooperation', 'Verbal conflict', 'Material conflict'];
export const QUAD_SHORT = ['', 'V-coop', 'M-coop', 'V-conf', 'M-conf'];
export const QUAD_COLORS = ['#999', '#8fc98a', '#2e7d32', '#f0a35e', '#c62828'];

export function quadBadge(q: number): HTMLElement {
  return h('span', { class: `quad q${q}`, title: QUAD_NAMES[q] ?? '' }, QUAD_SHORT[q] ?? String(q));
}

export function fmt(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  return Number.isInteger(x) && digits <= 1 ? String(x) : x.toFixed(digits);
}

export function signed(x: number | null | undefined, digits = 1): string {
  if (x === null || x === undefined || Number.isNaN(x)) return '–';
  const s = x.toFixed(digits);
  return x > 0 ? `+${s}` : s;
}

export function goldsteinClass(g: number | null | undefined): string {
  if (g === null || g === undefined) return 'gs0';
  return g <= -5 ? 'gsn2' : g < 0 ? 'gsn1' : g >= 5 ? 'gsp2' : g > 0 ? 'gsp1' : 'gs0';
}

// ---- UTF-8 byte spans → highlighted text --------------------------------------------------

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Converts [begin, end) UTF-8 byte offsets into UTF-16 string indices (clamped to char boundaries). */
export function byteSpanToIndex(bytes: Uint8Array, span: [number, number] | undefined): [number, number] | null {
  if (!span || span.length !== 2) return null;
  let [b, e] = span;
  if (!(Number.isFinite(b) && Number.isFinite(e)) || e <= b || b < 0) return null;
  e = Math.min(e, bytes.length);
  if (b >= e) return null;
  const back = (i: number) => { while (i > 0 && i < bytes.length && (bytes[i] & 0xc0) === 0x80) i--; return i; };
  b = back(b); e = back(e);
  return [dec.decode(bytes.subarray(0, b)).length, dec.decode(bytes.subarray(0, e)).length];
}

/** The sentence as nodes, with the source/target/verb spans wrapped in <mark class="hl-...">. */
export function highlight(sentence: string, spans: Spans | undefined, extraClass = ''): HTMLElement {
  const out = h('span', { class: `sent ${extraClass}`.trim() });
  const bytes = enc.encode(sentence);
  const ranges: { role: string; r: [number, number] }[] = [];
  if (spans) {
    for (const role of ['source', 'target', 'verb'] as const) {
      const r = byteSpanToIndex(bytes, spans[role]);
      if (r) ranges.push({ role, r });
    }
  }
  const cuts = new Set<number>([0, sentence.length]);
  for (const { r } of ranges) { cuts.add(r[0]); cuts.add(r[1]); }
  const pts = [...cuts].sort((x, y) => x - y);
  for (let i = 0; i + 1 < pts.length; i++) {
    const [a, b] = [pts[i], pts[i + 1]];
    const text = sentence.slice(a, b);
    const roles = ranges.filter(({ r }) => r[0] <= a && b <= r[1]).map(x => x.role);
    if (roles.length === 0) out.appendChild(document.createTextNode(text));
    else out.appendChild(h('mark', { class: roles.map(r => `hl-${r}`).join(' '), title: roles.join(', ') }, text));
  }
  return out;
}

export function actorCell(code: string, name?: string, text?: string): HTMLElement {
  return h('span', { class: 'actor', title: [name, text ? `“${text}”` : ''].filter(Boolean).join(' — ') }, code || '—');
}

export function dyadLabel(e: Event): HTMLElement {
  return h('span', { class: 'dyadlbl' }, actorCell(e.source, e.source_name, e.source_text), h('span', { class: 'arrow' }, '→'),
    actorCell(e.target, e.target_name, e.target_text));
}

export function errorBox(err: unknown): HTMLElement {
  const msg = err instanceof Error ? err.message : String(err);
  const route = (err as { route?: string }).route;
  return h('div', { class: 'error', testid: 'error' }, route ? `${route}: ` : '', msg);
}

export function loading(): HTMLElement { return h('div', { class: 'loading' }, 'Loading…'); }

export function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function bucketEnd(start: string, bucket: string): string {
  if (bucket === 'day') return start;
  if (bucket === 'month') {
    const d = new Date(`${start}T00:00:00Z`);
    d.setUTCMonth(d.getUTCMonth() + 1);
    d.setUTCDate(0);
    return d.toISOString().slice(0, 10);
  }
  return addDays(start, 6);
}

export function toTs(iso: string): number { return Date.parse(`${iso}T00:00:00Z`) / 1000; }
