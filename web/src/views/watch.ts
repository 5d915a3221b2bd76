// Watch: the sources `dyad watch` polls (health, last success, errors), the alerts it raised and
// each delivery's state, and alert rules saved from dashboard views (subscribe / unsubscribe).
import { get, post, del, getToken, type WatchStatus, type SavedRule, type RuleSpec } from '../api';
import { h, errorBox } from '../dom';
import { type Ctx } from '../router';

function when(iso: string): string { return iso ? iso.replace('T', ' ').replace('Z', ' UTC') : '—'; }

export async function renderWatch(ctx: Ctx): Promise<void> {
  const p = ctx.params;
  ctx.root.append(h('div', { class: 'viewhead' }, h('h1', null, 'Watch'),
    h('div', { class: 'controls' },
      h('a', { href: 'alerts.atom', testid: 'atom-link' }, 'Alerts feed (Atom)'), ' · ',
      h('a', { href: 'metrics', testid: 'metrics-link' }, 'Metrics'))));
  let w: WatchStatus;
  let rules: SavedRule[];
  try {
    [w, rules] = await Promise.all([get<WatchStatus>('watch'), get<{ rules: SavedRule[] }>('rules').then(r => r.rules)]);
  } catch (err) { ctx.root.append(errorBox(err)); return; }

  // Sources.
  const sources = h('tbody');
  for (const s of w.sources) {
    sources.append(h('tr', { testid: 'source-row', 'data-health': s.health },
      h('td', null, h('strong', null, s.name), h('div', { class: 'muted small' }, s.url)),
      h('td', null, h('span', { class: `badge health-${s.health}`, testid: 'source-health' }, s.health)),
      h('td', { class: 'nowrap' }, when(s.last_success)),
      h('td', { class: 'nowrap' }, when(s.next_poll)),
      h('td', { class: 'num' }, String(s.items_fetched)),
      h('td', { class: 'num' }, String(s.errors)),
      h('td', { class: 'small', testid: 'source-error' }, s.last_error || '')));
  }
  const unhealthy = w.sources.filter(s => s.health !== 'ok').length;
  ctx.root.append(h('section', { class: 'panel' },
    h('h2', null, `Sources (${w.sources.length}${unhealthy ? `, ${unhealthy} failing` : ''})`,
      h('span', { class: 'muted small', testid: 'watch-queue' }, ` — queue: ${w.queue?.items ?? 0} fetched items waiting to be stored`)),
    w.sources.length ? h('table', { class: 'dense', testid: 'sources-table' },
      h('thead', null, h('tr', null, h('th', null, 'Source'), h('th', null, 'Health'), h('th', null, 'Last success'), h('th', null, 'Next poll'),
        h('th', { class: 'num' }, 'Items'), h('th', { class: 'num' }, 'Errors'), h('th', null, 'Last error'))), sources)
      : h('div', { class: 'empty', testid: 'sources-table' }, 'No source polled yet: run dyad watch --config watch.toml (docs/watch.md).')));

  // Alerts and their deliveries.
  const alerts = h('tbody');
  for (const a of w.alerts) {
    const deliveries = h('td', null);
    for (const d of a.deliveries) {
      deliveries.append(h('span', { class: `badge delivery-${d.state}`, testid: 'delivery', title: d.last_error || (d.sent_at ? `sent ${d.sent_at}` : '') },
        `${d.notifier}: ${d.state}${d.attempts > 1 ? ` ×${d.attempts}` : ''}`), ' ');
      if (d.state !== 'sent' && d.last_error) deliveries.append(h('div', { class: 'small muted' }, d.last_error));
    }
    if (!a.deliveries.length) deliveries.append(h('span', { class: 'muted small' }, 'no notifier'));
    alerts.append(h('tr', { testid: 'watch-alert' },
      h('td', { class: 'nowrap' }, when(a.fired_at)),
      h('td', null, a.link.startsWith('#/') ? h('a', { href: a.link, testid: 'watch-alert-link' }, a.title) : a.title),
      h('td', { class: 'small' }, a.rule), deliveries));
  }
  const counts = Object.entries(w.deliveries).map(([k, v]) => `${v} ${k}`).join(', ');
  ctx.root.append(h('section', { class: 'panel' },
    h('h2', null, `Alerts raised (${w.alerts.length})`, counts ? h('span', { class: 'muted small' }, ` — deliveries: ${counts}`) : ''),
    w.alerts.length ? h('table', { class: 'dense', testid: 'watch-alerts' },
      h('thead', null, h('tr', null, h('th', null, 'Fired'), h('th', null, 'Alert'), h('th', null, 'Rule'), h('th', null, 'Deliveries'))), alerts)
      : h('div', { class: 'empty', testid: 'watch-alerts' }, 'No alert raised yet.')));

  // Saved rules and the form that saves a view as one.
  const status = h('div', { class: 'small', testid: 'rule-status', role: 'status' });
  const list = h('tbody');
  for (const r of rules) {
    const subject = r.rule.dyad || r.rule.population || 'every watched dyad/population';
    const remove = h('button', { testid: 'rule-delete', onclick: async () => {
      try { await del(`rules/${r.id}`); location.reload(); } catch (err) { status.textContent = String((err as Error).message); }
    } }, 'Unsubscribe');
    list.append(h('tr', { testid: 'rule-row', 'data-name': r.name },
      h('td', null, r.name), h('td', null, r.rule.kind), h('td', null, subject),
      h('td', null, (r.rule.codes ?? []).join(', ')), h('td', { class: 'num' }, String(r.rule.days ?? '')),
      h('td', { class: 'small' }, `${r.holder || '—'}, ${when(r.created_at)}`), h('td', null, remove)));
  }
  const kind = h('select', { testid: 'rule-kind' },
    h('option', { value: 'codes' }, 'codes: any of these events'), h('option', { value: 'spike' }, 'spike: conflict above the baseline'),
    h('option', { value: 'unanswered' }, 'unanswered: a complaint not replied to'));
  kind.value = ['codes', 'spike', 'unanswered'].includes(p.get('kind') ?? '') ? p.get('kind')! : 'codes';
  const subject = h('input', { testid: 'rule-subject', class: 'wide', placeholder: 'UZB-RUS or UZB in RUS', value: p.get('dyad') ?? p.get('population') ?? '' });
  const codes = h('input', { testid: 'rule-codes', class: 'code', placeholder: '173,174,18', value: p.get('codes') ?? '' });
  const days = h('input', { testid: 'rule-days', type: 'number', min: '1', max: '3650', value: p.get('days') ?? '7' });
  const name = h('input', { testid: 'rule-name', placeholder: 'rule name', value: p.get('name') ?? '' });
  const save = h('button', { testid: 'rule-save', class: 'primary', onclick: async () => {
    const spec: RuleSpec = { name: name.value.trim(), kind: kind.value, days: Number(days.value) || 7 };
    const subj = subject.value.trim().toUpperCase().replace(/\s+IN\s+/, ' in ');
    if (subj.includes(' in ')) spec.population = subj; else if (subj) spec.dyad = subj;
    if (kind.value === 'codes') spec.codes = codes.value.split(/[\s,]+/).filter(Boolean);
    if (kind.value === 'spike') spec.ratio = 2;
    try { await post('rules', spec); location.reload(); } catch (err) { status.textContent = String((err as Error).message); }
  } }, 'Subscribe');
  if (!getToken()) save.title = 'Needs the server token (Corrections page)';
  ctx.root.append(h('section', { class: 'panel' },
    h('h2', null, `Saved rules (${rules.length})`),
    h('p', { class: 'muted small' }, 'A view saved as a rule: dyad watch evaluates it with the rules of its watch file and notifies like them.'),
    rules.length ? h('table', { class: 'dense', testid: 'rules-table' },
      h('thead', null, h('tr', null, h('th', null, 'Name'), h('th', null, 'Kind'), h('th', null, 'Dyad / population'), h('th', null, 'Codes'),
        h('th', { class: 'num' }, 'Days'), h('th', null, 'Saved by'), h('th', null, ''))), list) : h('div', { class: 'empty', testid: 'rules-table' }, 'No saved rule.'),
    h('div', { class: 'controls form' }, h('label', null, 'Name ', name), h('label', null, 'Kind ', kind), h('label', null, 'Dyad or population ', subject),
      h('label', null, 'Codes ', codes), h('label', null, 'Days ', days), save),
    status));
}
