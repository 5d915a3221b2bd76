// The dashboard's side of docs/api.md: types and fetch helpers. Nothing here renders HTML.

export interface Spans { source: [number, number]; target: [number, number]; verb: [number, number]; }
export interface Why {
  pattern: string; pattern_origin: string; entries: string[]; modality?: string; issues?: string[];
}
export interface Event {
  id?: number | null; date: string; source: string; target: string;
  source_name?: string; target_name?: string;
  code: string; code_name?: string; root?: string; quad_class: number; goldstein: number;
  story_id?: number; document_id?: number; sentence_idx?: number;
  sentence: string; spans?: Spans;
  source_text?: string; target_text?: string; verb_text?: string;
  outlet?: string; url?: string; title?: string; why?: Why;
}
export interface Health {
  status: string; backend: string; schema: number; documents: number; stories: number;
  events: number; seq: number; writable: boolean;
}
export interface EventsPage { events: Event[]; next_cursor?: string | null; }
export interface DyadRow {
  a: string; b: string; a_name?: string; b_name?: string; stories: number; events: number;
  conflict_stories: number; goldstein_mean: number | null; change: number | null;
  sparkline: number[]; alert: null | { status: string; rule: string };
}
export interface Side {
  stories: number; events: number; quad: number[]; goldstein_mean: number | null; goldstein_sum: number;
}
export interface Bucket { start: string; ab: Side; ba: Side; }
export interface Timeline { a: string; b: string; bucket: string; buckets: Bucket[]; }
export interface Sources {
  bucket: string;
  outlets: { outlet: string; total: number; counts: { start: string; documents: number }[] }[];
  gaps: { outlet: string; from: string; to: string }[];
}
export interface Citizens {
  of: string; in: string; kinds: Record<string, number>;
  timeline: { start: string; stories: number; conflict_stories: number }[];
  events: Event[]; responses: Event[]; next_cursor?: string | null;
}
export interface Exchange {
  initiator: string; responder: string; opening: Event; replies: Event[];
  reply_class: string; latency_days: number | null; reply_count?: number;
}
export interface Exchanges { exchanges: Exchange[]; unanswered: number; }
export interface Alert {
  dyad: string; week: string; status: string; rule: string; stories: number;
  baseline_4w: number | null; baseline_52w: number | null; prev_month_mean: number | null;
  story_ids: number[]; event_ids: number[]; event_count?: number;
}
export interface Alerts { config: Record<string, unknown>; alerts: Alert[]; }
export interface MapCountry {
  code: string; iso2?: string; name?: string; stories: number; events: number; goldstein_mean: number | null;
}
export interface MapData { actor: string; countries: MapCountry[]; }
export interface Doc {
  id: number; title: string; url: string; outlet: string; date: string; lang?: string; story_id?: number;
  sentences: { idx: number; text: string; event_ids: number[] }[];
  events: Event[];
  story: { id: number; title: string; outlet: string; date: string; url: string }[];
}
export interface Explain { events: Event[]; trace: string[]; }
export interface Code { code: string; name: string; goldstein: number; quad_class: number; }
export interface Correction {
  id: number; at: string; holder?: string; kind: string; summary: string; events_altered: number;
  reverted_by: number | null; reverts: number | null;
}
export interface CorrectionBody {
  kind: 'event_wrong' | 'actor' | 'verb'; event_id?: number; phrase?: string; code?: string; note?: string;
}
export interface Diff {
  documents?: number; document_ids?: number[]; added: Event[]; removed: Event[]; updated?: Event[];
  events_altered?: number; truncated?: boolean; correction?: Correction;
}

export class ApiError extends Error {
  constructor(public status: number, message: string, public route: string) { super(message); }
}

const TOKEN_KEY = 'dyad.token';
export function getToken(): string { try { return sessionStorage.getItem(TOKEN_KEY) ?? ''; } catch { return ''; } }
export function setToken(t: string): void {
  try { if (t) sessionStorage.setItem(TOKEN_KEY, t); else sessionStorage.removeItem(TOKEN_KEY); } catch { /* private mode */ }
}

export type Params = Record<string, string | number | boolean | null | undefined>;

export function query(params: Params = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    q.set(k, v === true ? '1' : String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function parse<T>(res: Response, route: string): Promise<T> {
  let body: unknown = null;
  const text = await res.text();
  try { body = text ? JSON.parse(text) : null; } catch { body = null; }
  if (!res.ok) {
    const msg = body && typeof body === 'object' && 'error' in body ? String((body as { error: unknown }).error)
      : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, msg, route);
  }
  if (body === null) throw new ApiError(res.status, 'response is not JSON', route);
  return body as T;
}

export async function get<T>(route: string, params?: Params, signal?: AbortSignal): Promise<T> {
  const url = `api/${route}${query(params)}`;
  const res = await fetch(url, { headers: { Accept: 'application/json' }, signal });
  return parse<T>(res, `/api/${route}`);
}

export interface WatchSource {
  name: string; url: string; health: 'ok' | 'failing' | 'unhealthy'; last_poll: string; last_success: string;
  next_poll: string; failures: number; items_fetched: number; errors: number; last_error: string;
}
export interface Delivery { notifier: string; state: string; attempts: number; last_error: string; next_attempt: string; sent_at: string; }
export interface WatchAlert { id: number; key: string; rule: string; fired_at: string; title: string; link: string; deliveries: Delivery[]; }
export interface WatchStatus { sources: WatchSource[]; alerts: WatchAlert[]; deliveries: Record<string, number>; queue: { files: number; items: number }; }
export interface RuleSpec { name: string; kind: string; dyad?: string; population?: string; codes?: string[]; days?: number; ratio?: number; notify?: string[]; }
export interface SavedRule { id: number; name: string; holder: string; created_at: string; rule: RuleSpec; }

export async function del<T>(route: string): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`api/${route}`, { method: 'DELETE', headers });
  return parse<T>(res, `/api/${route}`);
}

export async function post<T>(route: string, body: unknown): Promise<T> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`api/${route}`, { method: 'POST', headers, body: JSON.stringify(body ?? {}) });
  return parse<T>(res, `/api/${route}`);
}
