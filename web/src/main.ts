// The dashboard shell: header, hash router, live updates (polling /api/health every 5 s).
import './styles.css';
import 'uplot/dist/uPlot.min.css';
import { get, getToken, type Health } from './api';
import { h, clear, errorBox } from './dom';
import { allCountries } from './countries';
import { type Ctx, DEFAULT_DYAD, parseHash } from './router';
import { renderOverview } from './views/overview';
import { renderDyad } from './views/dyad';
import { renderEvidence } from './views/evidence';
import { renderCitizens } from './views/citizens';
import { renderExchanges } from './views/exchanges';
import { renderAlerts } from './views/alerts';
import { renderMap } from './views/map';
import { renderExplain } from './views/explain';
import { renderCorrections } from './views/corrections';
import { renderEvents } from './views/events';
import { renderWatch } from './views/watch';

type View = (ctx: Ctx) => Promise<void> | void;



const routes: Record<string, { view: View; nav?: string }> = {
  '': { view: renderOverview, nav: 'overview' },
  dyad: { view: renderDyad, nav: 'dyad' },
  event: { view: renderEvidence },
  document: { view: renderEvidence },
  citizens: { view: renderCitizens, nav: 'citizens' },
  exchanges: { view: renderExchanges, nav: 'exchanges' },
  alerts: { view: renderAlerts, nav: 'alerts' },
  map: { view: renderMap, nav: 'map' },
  explain: { view: renderExplain, nav: 'explain' },
  corrections: { view: renderCorrections, nav: 'corrections' },
  events: { view: renderEvents, nav: 'events' },
  watch: { view: renderWatch, nav: 'watch' },
};

let health: Health | null = null;
const main = h('main', { id: 'view', testid: 'view' });
const healthBox = h('span', { class: 'health', testid: 'health' }, '…');
const liveNotice = h('span', { class: 'live-notice', testid: 'live-notice', role: 'status' });
const tokenFlag = h('a', { class: 'tokenflag', href: '#/corrections', testid: 'token-flag' });

function navigate(hash: string): void { location.hash = hash; }

function navLinks(): HTMLElement {
  const item = (id: string, label: string, href: string) => h('a', { href, 'data-nav': id, testid: `nav-${id}` }, label);
  return h('nav', { class: 'nav' },
    item('overview', 'Overview', '#/'),
    item('dyad', 'Dyad', `#/dyad/${DEFAULT_DYAD}`),
    item('citizens', 'Citizens abroad', '#/citizens/UZB/RUS'),
    item('exchanges', 'Exchanges', '#/exchanges/UZB-RUS'),
    item('alerts', 'Alerts', '#/alerts'),
    item('map', 'Map', '#/map/UZB'),
    item('events', 'Search', '#/events'),
    item('explain', 'Explain', '#/explain'),
    item('watch', 'Watch', '#/watch'),
    item('corrections', 'Corrections', '#/corrections'));
}

function countryDatalist(): HTMLElement {
  const dl = h('datalist', { id: 'countries' });
  for (const [a3, name] of allCountries()) dl.appendChild(h('option', { value: a3 }, name));
  return dl;
}

function picker(): HTMLElement {
  const a = h('input', { class: 'code', list: 'countries', placeholder: 'A', value: 'UZB', maxlength: 12, testid: 'picker-a', 'aria-label': 'Actor A' });
  const b = h('input', { class: 'code', list: 'countries', placeholder: 'B', value: 'RUS', maxlength: 12, testid: 'picker-b', 'aria-label': 'Actor B' });
  const form = h('form', { class: 'picker', testid: 'dyad-picker' }, a, h('span', { class: 'muted' }, '↔'), b,
    h('button', { type: 'submit', testid: 'picker-open' }, 'Open dyad'));
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const A = a.value.trim().toUpperCase(), B = b.value.trim().toUpperCase();
    if (/^[A-Z0-9-]{2,12}$/.test(A) && /^[A-Z0-9-]{2,12}$/.test(B) && !A.includes('-') && !B.includes('-')) navigate(`#/dyad/${A}-${B}`);
  });
  return form;
}

function shell(): void {
  const header = h('header', { class: 'top' },
    h('a', { class: 'brand', href: '#/' }, h('span', { class: 'logo' }, '◆'), ' dyad', h('span', { class: 'muted' }, ' monitor')),
    navLinks(), picker(), h('span', { class: 'grow' }), liveNotice, tokenFlag, healthBox);
  document.body.append(header, main, h('div', { id: 'toasts', class: 'toasts' }), countryDatalist());
}

function updateTokenFlag(): void {
  tokenFlag.textContent = getToken() ? '● token set' : '○ read-only';
  tokenFlag.className = `tokenflag ${getToken() ? 'on' : ''}`;
}

let renderSeq = 0;
export async function render(opts: { keepScroll?: boolean } = {}): Promise<void> {
  const [parts, params] = parseHash();
  const route = routes[parts[0] ?? ''] ?? null;
  const mySeq = ++renderSeq;
  const y = window.scrollY;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav.nav a')) {
    a.classList.toggle('active', !!route && a.dataset.nav === route.nav);
  }
  updateTokenFlag();
  const root = h('div', { class: 'viewroot' });
  if (!route) {
    clear(main);
    main.appendChild(h('div', { class: 'error' }, 'No such view.'));
    return;
  }
  try {
    // Render off-screen, then swap, so live refreshes do not flash empty panels.
    const p = route.view({ root, parts: parts.slice(1), params, health });
    if (!opts.keepScroll) { clear(main); main.appendChild(root); }
    await p;
    if (mySeq !== renderSeq) return;
    if (opts.keepScroll) { clear(main); main.appendChild(root); window.scrollTo(0, y); }
    main.dataset.ready = String(mySeq);
  } catch (err) {
    if (mySeq !== renderSeq) return;
    clear(main);
    main.appendChild(errorBox(err));
  }
}

let noticeTimer: ReturnType<typeof setTimeout> | undefined;
async function pollHealth(): Promise<void> {
  try {
    const hl = await get<Health>('health');
    const changed = health !== null && hl.seq !== health.seq;
    health = hl;
    healthBox.textContent = `${hl.documents.toLocaleString()} docs · ${hl.events.toLocaleString()} events · seq ${hl.seq}`;
    healthBox.title = `${hl.stories} stories; backend ${hl.backend}, schema ${hl.schema}${hl.writable ? '' : ', read-only'}`;
    healthBox.classList.remove('down');
    if (changed) {
      liveNotice.textContent = `updated ${new Date().toLocaleTimeString()}`;
      liveNotice.classList.add('show');
      clearTimeout(noticeTimer);
      noticeTimer = setTimeout(() => { liveNotice.classList.remove('show'); liveNotice.textContent = ''; }, 6000);
      await render({ keepScroll: true });
    }
  } catch {
    healthBox.textContent = 'server unreachable';
    healthBox.classList.add('down');
  }
}

shell();
window.addEventListener('hashchange', () => { void render(); });
window.addEventListener('dyad:token', updateTokenFlag);
void pollHealth().then(() => render());
setInterval(() => { void pollHealth(); }, 5000);
