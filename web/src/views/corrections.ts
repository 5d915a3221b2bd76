// Corrections: the token, a form to add an actor or a verb pattern (preview the diff, then apply),
// and the activity log with Revert.
import { get, post, getToken, setToken, type Correction, type CorrectionBody, type Diff, type Code } from '../api';
import { h, clear, errorBox } from '../dom';
import { eventTable, toast } from '../components';
import type { Ctx } from '../router';

let codesCache: Promise<Code[]> | null = null;

export async function renderCorrections(ctx: Ctx): Promise<void> {
  const writable = ctx.health ? ctx.health.writable : true;
  // Token.
  const tok = h('input', { type: 'password', value: getToken(), testid: 'token-input', placeholder: 'token given to dyad serve --token', autocomplete: 'off', class: 'wide' });
  const saveTok = h('button', { testid: 'token-save' }, 'Use token');
  saveTok.onclick = () => { setToken(tok.value.trim()); window.dispatchEvent(new Event('dyad:token')); toast(tok.value.trim() ? 'Token set for this browser tab' : 'Token cleared'); };
  ctx.root.append(h('div', { class: 'viewhead' }, h('h1', null, 'Corrections')),
    h('section', { class: 'panel', testid: 'token-panel' }, h('h2', null, 'Token'),
      h('div', { class: 'controls' }, tok, saveTok, h('span', { class: 'muted small' }, ' Kept in this tab only (sessionStorage). Reads need no token; writes do.')),
      writable ? null : h('div', { class: 'error' }, 'This server is read-only (started without --token).')));

  // Form.
  const kind = h('select', { testid: 'corr-kind' }, h('option', { value: 'actor' }, 'actor: phrase → actor code'), h('option', { value: 'verb' }, 'verb pattern: phrase → CAMEO code'));
  const phrase = h('input', { testid: 'corr-phrase', placeholder: 'e.g. UZBEK LABOUR MIGRANTS or ROUNDED UP', class: 'wide' });
  const code = h('input', { testid: 'corr-code', placeholder: 'e.g. UZBLAB or 173', class: 'code', list: 'cameo-codes' });
  const note = h('input', { testid: 'corr-note', placeholder: 'note (why)', class: 'wide' });
  const codes = h('datalist', { id: 'cameo-codes' });
  codesCache ??= get<{ codes: Code[] }>('codes').then(r => r.codes).catch(() => []);
  void codesCache.then(list => { for (const c of list) codes.append(h('option', { value: c.code }, `${c.code} ${c.name}`)); });
  const previewBtn = h('button', { testid: 'corr-preview' }, 'Preview');
  const applyBtn = h('button', { testid: 'corr-apply', class: 'primary', disabled: true }, 'Apply');
  const diffBox = h('div', { testid: 'corr-diff' });
  const body = (): CorrectionBody => ({ kind: kind.value as 'actor' | 'verb', phrase: phrase.value.trim().toUpperCase(), code: code.value.trim().toUpperCase(), note: note.value.trim() });
  let previewed = '';
  const invalidate = () => { applyBtn.disabled = true; previewed = ''; };
  for (const el of [kind, phrase, code]) el.addEventListener('input', invalidate);
  previewBtn.onclick = async () => {
    const b = body();
    if (!b.phrase || !b.code) { toast('Phrase and code are both needed', 'err'); return; }
    previewBtn.disabled = true; clear(diffBox);
    try {
      const d = await post<Diff>('corrections/preview', b);
      diffBox.append(renderDiff(d, 'Preview'));
      previewed = JSON.stringify(b);
      applyBtn.disabled = false;
    } catch (err) { diffBox.append(errorBox(err)); } finally { previewBtn.disabled = false; }
  };
  applyBtn.onclick = async () => {
    const b = body();
    if (JSON.stringify(b) !== previewed) { toast('Preview again: the form changed', 'err'); invalidate(); return; }
    applyBtn.disabled = true;
    try {
      const d = await post<Diff>('corrections', b);
      clear(diffBox); diffBox.append(renderDiff(d, 'Applied'));
      toast(`Correction applied: ${d.added.length} added, ${d.removed.length} removed`);
      previewed = '';
      await loadLog();
    } catch (err) { diffBox.append(errorBox(err)); applyBtn.disabled = false; }
  };
  ctx.root.append(h('section', { class: 'panel', testid: 'corr-form' }, h('h2', null, 'Add to the user dictionary'),
    h('div', { class: 'formgrid' }, h('label', null, 'Kind'), kind, h('label', null, 'Phrase'), phrase, h('label', null, 'Code'), code, h('label', null, 'Note'), note),
    codes, h('div', { class: 'actions' }, previewBtn, applyBtn, h('span', { class: 'muted small' }, ' Preview re-codes the affected stored sentences and shows which events would change; nothing is written until Apply.')),
    diffBox));

  // Log.
  const logBox = h('div', { testid: 'corr-log' });
  ctx.root.append(h('section', { class: 'panel' }, h('h2', null, 'Activity log'), logBox));
  const loadLog = async () => {
    let log: Correction[];
    try { log = (await get<{ corrections: Correction[] }>('corrections')).corrections; } catch (err) { clear(logBox); logBox.append(errorBox(err)); return; }
    clear(logBox);
    if (!log.length) { logBox.append(h('div', { class: 'empty' }, 'No corrections yet.')); return; }
    const tbody = h('tbody');
    for (const c of log) {
      const rev = h('button', { class: 'mini', testid: 'corr-revert', disabled: c.reverted_by !== null }, c.reverted_by !== null ? `reverted by #${c.reverted_by}` : 'Revert');
      rev.onclick = async () => {
        rev.disabled = true;
        try { await post<Correction>(`corrections/${c.id}/revert`, {}); toast(`Correction #${c.id} reverted`); await loadLog(); }
        catch (err) { toast(`Revert failed: ${(err as Error).message}`, 'err'); rev.disabled = false; }
      };
      tbody.append(h('tr', { testid: 'corr-row', 'data-id': c.id, 'data-kind': c.kind, class: c.reverted_by !== null ? 'reverted' : '' },
        h('td', { class: 'num' }, `#${c.id}`), h('td', { class: 'nowrap' }, c.at), h('td', null, c.holder ?? ''), h('td', null, c.kind),
        h('td', { testid: 'corr-summary' }, c.summary, c.reverts !== null ? h('span', { class: 'muted' }, ` (reverts #${c.reverts})`) : null),
        h('td', { class: 'num' }, String(c.events_altered)), h('td', null, c.reverts === null ? rev : null)));
    }
    logBox.append(h('table', { class: 'dense', testid: 'corr-log-table' }, h('thead', null, h('tr', null, h('th', null, 'Id'), h('th', null, 'At'), h('th', null, 'By'), h('th', null, 'Kind'), h('th', null, 'What'), h('th', { class: 'num' }, 'Events altered'), h('th'))), tbody));
  };
  await loadLog();
}

/** Before/after per country pair: how the correction moves each dyad's event count. */
function byDyad(d: Diff): HTMLElement | null {
  const rows = new Map<string, { removed: number; added: number }>();
  const key = (e: { source: string; target: string }) => [e.source.slice(0, 3), e.target.slice(0, 3)].sort().join('-');
  for (const e of d.removed) { const r = rows.get(key(e)) ?? { removed: 0, added: 0 }; r.removed++; rows.set(key(e), r); }
  for (const e of d.added) { const r = rows.get(key(e)) ?? { removed: 0, added: 0 }; r.added++; rows.set(key(e), r); }
  if (!rows.size) return null;
  return h('table', { class: 'dense bydyad', testid: 'diff-by-dyad' },
    h('thead', null, h('tr', null, h('th', null, 'Dyad'), h('th', { class: 'num' }, 'Removed'), h('th', { class: 'num' }, 'Added'), h('th', { class: 'num' }, 'Net events'))),
    h('tbody', null, ...[...rows].sort((a, b) => (b[1].added + b[1].removed) - (a[1].added + a[1].removed)).map(([k, r]) =>
      h('tr', null, h('td', null, /^[A-Z]{3}-[A-Z]{3}$/.test(k) ? h('a', { href: `#/dyad/${k}` }, k) : k),
        h('td', { class: 'num removed' }, `−${r.removed}`), h('td', { class: 'num added' }, `+${r.added}`),
        h('td', { class: 'num' }, String(r.added - r.removed))))));
}

function renderDiff(d: Diff, label: string): HTMLElement {
  return h('div', { class: 'diff', testid: 'diff' },
    h('div', { class: 'diffsum', testid: 'diff-summary' }, `${label}: `, d.documents !== undefined ? `${d.documents} documents re-coded, ` : '',
      h('span', { class: 'added' }, `+${d.added.length} added`), ', ', h('span', { class: 'removed' }, `−${d.removed.length} removed`),
      d.updated ? `, ${d.updated.length} updated` : '', d.events_altered !== undefined ? ` (${d.events_altered} events altered)` : '',
      d.truncated ? h('span', { class: 'muted' }, ' — list truncated') : null),
    byDyad(d),
    d.added.length ? h('div', { class: 'diffadd', testid: 'diff-added' }, h('h3', null, 'Added'), eventTable(d.added, {})) : null,
    d.removed.length ? h('div', { class: 'diffrem', testid: 'diff-removed' }, h('h3', null, 'Removed'), eventTable(d.removed, {})) : null,
    d.updated && d.updated.length ? h('div', { class: 'diffupd', testid: 'diff-updated' }, h('h3', null, 'Updated (evidence changed, same event)'), eventTable(d.updated, {})) : null,
    !d.added.length && !d.removed.length && !(d.updated ?? []).length ? h('div', { class: 'muted', testid: 'diff-empty' }, 'No stored event would change.') : null);
}
