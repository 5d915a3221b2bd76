// Browser tests of the dyad dashboard. Run by run.sh, which starts `dyad serve` on a temp store
// and sets DYAD_URL, DYAD_TOKEN, DYAD_ARTIFACTS (screenshots) and DYAD_BURST (1 when
// testdata/monitor/burst.jsonl was ingested, so an alert must fire).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.DYAD_URL ?? 'http://127.0.0.1:8080/';
const TOKEN = process.env.DYAD_TOKEN ?? 'test-token';
const ARTIFACTS = process.env.DYAD_ARTIFACTS ?? 'build/test-artifacts';
const BURST = process.env.DYAD_BURST === '1';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const T = 15000;

// Whether the server accepts writes (it was started with --token). Read once, before the tests
// are declared, so the correction tests can be skipped visibly when it does not.
const HEALTH = await fetch(new URL('api/health', BASE)).then(r => r.json());
const READ_ONLY = HEALTH.writable === true ? false : `server reports writable=${HEALTH.writable}: corrections cannot be tested`;

let context, page, userDir;
const pageErrors = [];
const dialogs = [];

async function api(route) {
  const res = await fetch(new URL(`api/${route}`, BASE));
  assert.equal(res.status, 200, `GET /api/${route} → ${res.status}`);
  return res.json();
}
async function shot(name) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
async function go(hash) {
  const before = await page.evaluate(() => document.querySelector('[data-testid=view]')?.dataset.ready ?? '0').catch(() => '0');
  const target = new URL(hash, BASE).href;
  if (page.url() === target) {
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid=view]')?.dataset.ready || document.querySelector('[data-testid=error]'), null, { timeout: T });
  } else {
    await page.goto(target);
    await page.waitForFunction(b => (document.querySelector('[data-testid=view]')?.dataset.ready ?? '0') !== b || document.querySelector('[data-testid=error]'), before, { timeout: T });
  }
}
const tid = id => `[data-testid="${id}"]`;

describe('dyad dashboard', { concurrency: false }, () => {
  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    userDir = mkdtempSync(join(tmpdir(), 'dyad-chromium-'));
    context = await chromium.launchPersistentContext(userDir, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? await context.newPage();
    page.setDefaultTimeout(T);
    page.on('pageerror', e => pageErrors.push(e.message));
    page.on('dialog', d => { dialogs.push(d.message()); void d.dismiss(); });
  });
  after(async () => {
    await context?.close();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  it('opens the dashboard: health, dyads table, watched UZB-RUS', async () => {
    await go('#/');
    await page.waitForSelector(tid('dyads-table'));
    await page.waitForSelector(`${tid('watched-card')}[data-dyad="UZB-RUS"]`);
    const rows = await page.locator(tid('dyad-row')).count();
    assert.ok(rows > 0, 'the overview lists dyads');
    await page.waitForFunction(() => /events/.test(document.querySelector('[data-testid=health]')?.textContent ?? ''));
    await shot('01-overview');
  });

  it('picks UZB–RUS and shows the timeline and events', async () => {
    await go('#/');
    await page.fill(tid('picker-a'), 'UZB');
    await page.fill(tid('picker-b'), 'RUS');
    await page.click(tid('picker-open'));
    await page.waitForFunction(() => location.hash.startsWith('#/dyad/UZB-RUS'));
    await page.waitForSelector(`${tid('timeline-chart')} canvas`);
    await page.waitForSelector(tid('event-row'));
    assert.match(await page.textContent(tid('dyad-title')), /Uzbekistan/);
    const n = await page.locator(tid('event-row')).count();
    assert.ok(n > 0, 'the dyad view lists events');
    await page.waitForSelector(`${tid('source-health')} ${tid('source-row')}`);
    await shot('02-dyad-UZB-RUS');
  });

  it('clicking a timeline bucket filters the event table to that bucket', async () => {
    const tl = await api('timeline?dyad=UZB-RUS&bucket=week');
    const i = tl.buckets.findIndex(b => b.ab.stories + b.ba.stories > 0);
    assert.ok(i >= 0, 'some week has stories');
    const start = tl.buckets[i].start;
    await go('#/dyad/UZB-RUS?bucket=week');
    const over = page.locator(`${tid('timeline-chart')} .u-over`);
    await over.waitFor();
    const box = await over.boundingBox();
    await page.waitForFunction(() => document.querySelector('[data-testid=timeline-chart]')?.dataset.xmax);
    const xmin = Number(await page.getAttribute(tid('timeline-chart'), 'data-xmin'));
    const xmax = Number(await page.getAttribute(tid('timeline-chart'), 'data-xmax'));
    const ts = Date.parse(`${start}T00:00:00Z`) / 1000;
    const x = ((ts - xmin) / (xmax - xmin || 1)) * box.width;
    await over.click({ position: { x: Math.min(Math.max(x, 1), box.width - 1), y: box.height / 2 } });
    await page.waitForFunction(s => (document.querySelector('[data-testid=events-title]')?.textContent ?? '').includes(s), start);
    await page.waitForSelector(tid('event-row'));
    const end = new Date(Date.parse(`${start}T00:00:00Z`) + 6 * 86400e3).toISOString().slice(0, 10);
    const dates = await page.locator(`${tid('event-row')} td.date`).allTextContents();
    assert.ok(dates.length > 0);
    for (const d of dates) assert.ok(d >= start && d <= end, `event date ${d} within ${start}…${end}`);
    await shot('03-dyad-bucket-selected');
  });

  it('opens an event\'s evidence: sentence, document, source link, why', async () => {
    await go('#/dyad/UZB-RUS');
    await page.waitForSelector(tid('event-row'));
    const id = await page.locator(tid('event-row')).first().getAttribute('data-event-id');
    await page.locator(`${tid('event-row')} td.sentence`).first().click();
    await page.waitForFunction(x => location.hash === `#/event/${x}`, id);
    await page.waitForSelector(tid('evidence-sentence'));
    const sentence = (await page.textContent(tid('evidence-sentence'))).trim();
    assert.ok(sentence.length > 10, 'evidence sentence visible');
    assert.ok(await page.locator(`${tid('evidence-sentence')} mark.hl-verb`).count() > 0, 'the verb is highlighted');
    const href = await page.getAttribute(tid('source-link'), 'href');
    assert.match(href ?? '', /^https?:\/\//, 'source link is http(s)');
    await page.waitForSelector(tid('focus-sentence'));
    assert.ok((await page.textContent(tid('why-pattern'))).trim().length > 0, 'why panel shows the pattern');
    await shot('04-evidence');
  });

  it('opens an exchange: the Zakharova reply is dismissive', async () => {
    await go('#/exchanges/UZB-RUS');
    await page.waitForSelector(tid('exchange'));
    const dismissive = page.locator(`${tid('exchange')}[data-reply-class="dismissive"]`);
    assert.ok(await dismissive.count() > 0, 'a dismissive reply is listed');
    const texts = await dismissive.locator(tid('reply')).allTextContents();
    assert.ok(texts.some(t => /Zakharova|Foreign Ministry|Moscow/.test(t)), `a Russian reply among: ${texts.join(' | ').slice(0, 300)}`);
    assert.equal(await dismissive.first().locator(tid('reply-class')).textContent(), 'dismissive');
    assert.match(await page.textContent(tid('unanswered')), /^\d+$/);
    await shot('05-exchanges');
    await dismissive.first().locator(tid('reply')).first().click();
    await page.waitForSelector(tid('evidence-sentence'));
  });

  it('shows the alerts view', async () => {
    await go('#/alerts');
    await page.waitForSelector(tid('alerts-table'));
    await page.waitForSelector(tid('fired-count'));
    await shot('06-alerts');
  });

  it('sees the RUS–UZB alert fire and opens its evidence', { skip: BURST ? false : 'testdata/monitor/burst.jsonl not present: no alert expected' }, async () => {
    await go('#/alerts');
    await page.waitForSelector(tid('alerts-table'));
    const fired = page.locator(`${tid('alert-row')}[data-dyad="RUS-UZB"][data-status="fired"]`);
    assert.ok(await fired.count() > 0, 'a fired alert for RUS-UZB');
    await fired.first().click();
    await page.waitForFunction(() => location.hash.startsWith('#/events?ids='));
    await page.waitForSelector(tid('event-row'));
    await shot('07-alert-evidence');
    await go('#/');
    await page.waitForSelector(`${tid('dyad-row')}[data-dyad="RUS-UZB"] ${tid('alert-badge')}[data-status="fired"]`);
  });

  it('marks an event wrong with the token, sees it in the log, reverts it', { skip: READ_ONLY }, async () => {
    await go('#/corrections');
    await page.fill(tid('token-input'), TOKEN);
    await page.click(tid('token-save'));
    await go('#/dyad/UZB-RUS');
    await page.waitForSelector(tid('event-row'));
    const row = page.locator(tid('event-row')).first();
    const id = await row.getAttribute('data-event-id');
    const healthBefore = await api('health');
    await row.locator(tid('mark-wrong')).click();
    await page.waitForSelector(`${tid('event-row')}[data-event-id="${id}"]`, { state: 'detached' });
    // Live: the change feed moves, the view refreshes, the notice shows; the event stays gone.
    await page.waitForSelector(`${tid('live-notice')}.show`, { timeout: 12000 });
    await page.waitForSelector(tid('event-row'));
    assert.equal(await page.locator(`${tid('event-row')}[data-event-id="${id}"]`).count(), 0, 'marked event is gone after refresh');
    assert.ok((await api('health')).seq > healthBefore.seq, 'seq moved');
    await go('#/corrections');
    const logRow = page.locator(`${tid('corr-row')}[data-kind="event_wrong"]`).first();
    await logRow.waitFor();
    assert.match(await logRow.textContent(), new RegExp(id));
    await shot('08-corrections-log');
    await logRow.locator(tid('corr-revert')).click();
    await page.waitForSelector(`${tid('corr-row')}[data-kind="event_wrong"] ${tid('corr-revert')}:disabled`);
    await go('#/dyad/UZB-RUS');
    await page.waitForSelector(tid('event-row'));
    const ids = await page.locator(tid('event-row')).evaluateAll(rs => rs.map(r => r.getAttribute('data-event-id')));
    const back = await fetch(new URL(`api/events/${id}`, BASE));
    assert.ok(back.status === 200 || ids.length > 0, 'after revert the event is back');
    if (back.status === 200) assert.ok(ids.includes(id), `event ${id} back in the table`);
  });

  it('adds a verb correction: preview shows the diff, apply logs it', { skip: READ_ONLY }, async () => {
    await go('#/corrections');
    await page.selectOption(tid('corr-kind'), 'verb');
    await page.fill(tid('corr-phrase'), process.env.DYAD_VERB_PHRASE ?? 'SUMMONED');
    await page.fill(tid('corr-code'), process.env.DYAD_VERB_CODE ?? '111');
    await page.fill(tid('corr-note'), 'browser test');
    await page.click(tid('corr-preview'));
    await page.waitForSelector(tid('diff-summary'));
    const summary = await page.textContent(tid('diff-summary'));
    assert.match(summary, /added.*removed/);
    const changed = await page.locator(`${tid('diff-added')} ${tid('event-row')}, ${tid('diff-removed')} ${tid('event-row')}`).count();
    assert.ok(changed > 0, `the preview changes some event (${summary})`);
    await shot('09-correction-preview');
    await page.click(tid('corr-apply'));
    await page.waitForSelector(`${tid('corr-row')}[data-kind="verb"]`);
    await shot('10-correction-applied');
  });

  it('shows a <script> headline and sentence as text, never runs it', async () => {
    const { events } = await api('events?q=Moscow&limit=500');
    let ev = events.find(e => (e.sentence ?? '').includes('<script>'));
    if (!ev) ev = (await api('events?dyad=RUS-UZB&limit=500')).events.find(e => (e.sentence ?? '').includes('<script>'));
    assert.ok(ev, 'the XSS fixture coded into an event');
    await go(`#/event/${ev.id}`);
    await page.waitForSelector(tid('evidence-sentence'));
    assert.match(await page.textContent(tid('evidence-sentence')), /<script>window\.__xss=1<\/script>/);
    const title = await page.textContent(tid('doc-title'));
    assert.match(title, /<script>|<img/, 'the headline shows the markup as text');
    await go(`#/events?q=Moscow`);
    await page.waitForSelector(tid('event-row'));
    await go(`#/dyad/RUS-UZB?sel=`);
    await page.waitForSelector(tid('event-row'));
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.__xss), undefined, 'no payload ran');
    assert.deepEqual(dialogs, [], 'no dialog opened');
    assert.equal(await page.locator('#view script, #view img, #view [onerror], #view [onmouseover]').count(), 0, 'no injected elements');
    await go(`#/event/${ev.id}`);
    await page.waitForSelector(tid('evidence-sentence'));
    await shot('11-xss-as-text');
  });

  it('renders the world map and opens a dyad from a country', async () => {
    await go('#/map/UZB');
    await page.waitForSelector(`${tid('world-map')} ${tid('country')}`);
    const n = await page.locator(`${tid('world-map')} ${tid('country')}`).count();
    assert.ok(n > 150, `map has countries (${n})`);
    const rus = page.locator(`${tid('country')}[data-code="RUS"]`);
    assert.notEqual(await rus.getAttribute('fill'), '#eef1f5', 'Russia is coloured');
    await rus.dispatchEvent('click');
    await page.waitForFunction(() => location.hash === '#/dyad/UZB-RUS');
    await go('#/map/UZB');
    await page.waitForSelector(`${tid('world-map')} ${tid('country')}`);
    await shot('12-map');
  });

  it('shows citizens abroad and explain', async () => {
    await go('#/citizens/UZB/RUS');
    await page.waitForSelector(tid('citizens-kinds'));
    await page.waitForSelector(`${tid('citizens-events')} ${tid('event-row')}`);
    await shot('13-citizens');
    await go(`#/explain?text=${encodeURIComponent('Russian police detained 12 Uzbek workers in Moscow on Monday.')}`);
    await page.waitForSelector(tid('explain-trace'));
    assert.ok((await page.textContent(tid('explain-trace'))).length > 0);
    await shot('14-explain');
  });

  it('live: a document ingested while the server runs shows up with an "updated" notice', { skip: process.env.DYAD_BINARY && process.env.DYAD_DB ? false : 'needs DYAD_BINARY and DYAD_DB (the real server)' }, async () => {
    await go('#/dyad/UZB-RUS');
    await page.waitForSelector(tid('event-row'));
    const before = (await api('health')).seq;
    const dir = mkdtempSync(join(tmpdir(), 'dyad-live-'));
    const doc = { id: 'live-001', date: '2026-03-02', source: 'live-wire', url: 'https://example.org/live/001',
      title: 'Police detain Uzbek workers in Tula', text: 'Russian police detained 17 Uzbek workers at a market in Tula on Monday.' };
    writeFileSync(join(dir, 'live.jsonl'), JSON.stringify(doc) + '\n');
    execFileSync(process.env.DYAD_BINARY, ['ingest', '--db', process.env.DYAD_DB, join(dir, 'live.jsonl')], { stdio: 'pipe' });
    rmSync(dir, { recursive: true, force: true });
    const deadline = Date.now() + 15000;
    while ((await api('health')).seq <= before) {
      assert.ok(Date.now() < deadline, 'the server saw the new document within 15 s (seq moved)');
      await page.waitForTimeout(250);
    }
    await page.waitForSelector(`${tid('live-notice')}.show`, { timeout: 12000 });
    assert.match(await page.textContent(tid('live-notice')), /updated/);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=event-row] td.sentence')].some(td => /Tula/.test(td.textContent ?? '')), null, { timeout: 10000 });
    await shot('15-live-updated');
  });

  it('watch page: sources and their health, an alert and its delivery, a view saved as a rule', { skip: READ_ONLY || (process.env.DYAD_BINARY ? false : 'needs the real server (run.sh ran dyad watch on its store)') }, async () => {
    await go('#/corrections');
    await page.fill(tid('token-input'), TOKEN);
    await page.click(tid('token-save'));
    await go('#/watch');
    await page.waitForSelector(tid('source-row'));
    assert.equal(await page.locator(tid('source-row')).count(), 2);
    const offline = page.locator(`${tid('source-row')}[data-health="failing"]`);
    assert.equal(await offline.count(), 1, 'the offline feed is failing');
    assert.match(await offline.locator(tid('source-error')).textContent(), /connect/i);
    assert.equal(await page.locator(`${tid('source-row')}[data-health="ok"]`).count(), 1, 'the folder is healthy');
    const alert = page.locator(tid('watch-alert'));
    assert.equal(await alert.count(), 1);
    assert.match(await alert.textContent(), /KGZ in KAZ/);
    assert.match(await alert.locator(tid('delivery')).first().textContent(), /feed: sent/);
    await shot('16-watch');
    // The alert opens its evidence.
    await alert.locator(tid('watch-alert-link')).click();
    await page.waitForFunction(() => location.hash.startsWith('#/event/'));
    await page.waitForFunction(() => /Kyrgyzstan/.test(document.body.textContent ?? ''));
    // The dyad view saved as a rule, listed, then unsubscribed.
    await go('#/dyad/UZB-RUS');
    await page.click(tid('subscribe'));
    await page.waitForSelector(tid('rule-save'));
    assert.equal(await page.inputValue(tid('rule-subject')), 'UZB-RUS');
    assert.equal(await page.inputValue(tid('rule-kind')), 'spike');
    await page.click(tid('rule-save'));
    await page.waitForSelector(`${tid('rule-row')}[data-name="uzb-rus-spike"]`);
    const saved = (await api('rules')).rules;
    assert.equal(saved.length, 1);
    assert.deepEqual([saved[0].rule.kind, saved[0].rule.dyad], ['spike', 'UZB-RUS']);
    // A rule the watch file would refuse is refused with the reason.
    await page.fill(tid('rule-name'), 'no-codes');
    await page.selectOption(tid('rule-kind'), 'codes');
    await page.fill(tid('rule-subject'), 'UZB in RUS');
    await page.fill(tid('rule-codes'), '');
    await page.click(tid('rule-save'));
    await page.waitForFunction(() => /needs codes/.test(document.querySelector('[data-testid=rule-status]')?.textContent ?? ''));
    await shot('17-watch-rules');
    await page.click(`${tid('rule-row')}[data-name="uzb-rus-spike"] ${tid('rule-delete')}`);
    await page.waitForSelector(`${tid('rule-row')}[data-name="uzb-rus-spike"]`, { state: 'detached' });
    assert.equal((await api('rules')).rules.length, 0);
  });

  it('raised no page errors', () => {
    assert.deepEqual(pageErrors, []);
  });
});

describe('dashboard source', () => {
  it('never builds HTML from strings (no innerHTML/outerHTML/insertAdjacentHTML/document.write)', () => {
    const src = fileURLToPath(new URL('../../web/src/', import.meta.url));
    const files = readdirSync(src, { recursive: true }).filter(f => /\.ts$/.test(String(f)));
    assert.ok(files.length > 5);
    for (const f of files) {
      const code = readFileSync(join(src, String(f)), 'utf8').replace(/\/\/.*$/gm, '');
      assert.doesNotMatch(code, /\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write/, String(f));
    }
  });
});
