// Hash routing helpers: all view state lives in the URL (`#/dyad/UZB-RUS?bucket=week&sel=...`).
import type { Health } from './api';

export interface Ctx {
  root: HTMLElement;
  parts: string[];
  params: URLSearchParams;
  health: Health | null;
}

export const DEFAULT_DYAD = 'UZB-RUS';

export function parseHash(): [string[], URLSearchParams] {
  const raw = location.hash.replace(/^#\/?/, '');
  const i = raw.indexOf('?');
  const path = i < 0 ? raw : raw.slice(0, i);
  const qs = i < 0 ? '' : raw.slice(i + 1);
  let parts: string[];
  try { parts = path.split('/').filter(Boolean).map(decodeURIComponent); } catch { parts = []; }
  return [parts, new URLSearchParams(qs)];
}

/** Rewrites the query part of the current hash without re-rendering. */
export function setHashParams(update: Record<string, string | null>): void {
  const [parts, params] = parseHash();
  for (const [k, v] of Object.entries(update)) { if (v === null || v === '') params.delete(k); else params.set(k, v); }
  const qs = params.toString();
  history.replaceState(null, '', `#/${parts.map(encodeURIComponent).join('/')}${qs ? `?${qs}` : ''}`);
}

export function hashFor(parts: string[], params: Record<string, string | number | null | undefined> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  const qs = q.toString();
  return `#/${parts.map(encodeURIComponent).join('/')}${qs ? `?${qs}` : ''}`;
}

/** `UZB-RUS` → ['UZB','RUS'] (codes are letters/digits; anything else is refused). */
export function parseDyad(s: string | undefined): [string, string] | null {
  if (!s) return null;
  const m = /^([A-Za-z0-9]{2,12})-([A-Za-z0-9]{2,12})$/.exec(s);
  return m ? [m[1].toUpperCase(), m[2].toUpperCase()] : null;
}
