// web_page_check: drives barrage's web page (GET /) in an already running headless
// Chromium over the DevTools protocol (no npm packages: Node's own WebSocket and fs),
// as a user would — fill the start form, start, watch, edit, stop, download — and
// prints what it saw, one fact per line, for tests/e2e/test_web_page.sh to judge:
//
//   step <name> ok|FAIL <detail>   each step of the walk and whether the page showed it
//   final_aggregated <n>           the Statistics tab's Aggregated # Requests after the stop
//   csv_aggregated <n>             the same row of the stats CSV fetched through its link
//   request <url>                  every request the page made (Network domain)
//   console <level> <text>         console messages, log entries and exceptions
//
// Usage: node --experimental-websocket web_page_check.mjs DEVTOOLS_ACTIVE_PORT_FILE
//        PAGE_URL TARGET_URL SCENARIO_FILE [SCREENSHOT.png]
// (SCENARIO_FILE: the master's scenario; the walk breaks it on disk at the end and puts
// it back, to see a start refused with the scenario's errors.)
// (SCREENSHOT.png: the Statistics tab mid-run; SCREENSHOT-charts.png: the Charts tab.)
// Exit 0 when the walk ended (the caller judges the facts), 3 on a protocol failure.
import { Cdp, evaluateIn, openPage, sleep, waitForIn } from './cdp.mjs';
import { readFileSync, writeFileSync } from 'node:fs';

const [portFile, pageUrl, targetUrl, scenarioFile, shotPath] = process.argv.slice(2);
if (!portFile || !pageUrl || !targetUrl || !scenarioFile) {
    console.error('usage: web_page_check.mjs DEVTOOLS_ACTIVE_PORT_FILE PAGE_URL TARGET_URL ' +
                  'SCENARIO_FILE [SCREENSHOT.png]');
    process.exit(2);
}
setTimeout(() => {
    console.error('web_page_check: timed out after 90s');
    process.exit(3);
}, 90000).unref();

const [port, path] = readFileSync(portFile, 'utf8').split('\n');
const cdp = new Cdp(`ws://127.0.0.1:${port.trim()}${path.trim()}`);
const out = [];
let sessionId;

const evaluate = (expression) => evaluateIn(cdp, sessionId, expression);
const waitFor = (expression, seconds) => waitForIn(cdp, sessionId, expression, seconds);

function step(name, ok, detail) {
    out.push(`step ${name} ${ok ? 'ok' : 'FAIL'} ${detail ?? ''}`);
}

const num = (el) => `Number((${el}).textContent.replace(/,/g, ''))`;
const header = (id) => `document.getElementById('${id}').textContent`;
// The Statistics row named `name` as [type, name, requests, ...] (null when absent).
const row = (name) => `(() => { for (const tr of document.querySelectorAll('#stats tbody tr')) {
    const c = [...tr.cells].map((td) => td.textContent);
    if (c[1] === ${JSON.stringify(name)}) return c; } return null; })()`;
const reqs = (name) => `(() => { const r = ${row(name)}; return r ? Number(r[2].replace(/,/g, '')) : 0; })()`;

async function fillAndSubmit(fields) {
    const sets = Object.entries(fields)
        .map(([id, v]) => `document.getElementById('${id}').value = ${JSON.stringify(v)};`).join('');
    await evaluate(`${sets} document.getElementById('f-submit').click(); true`);
}

async function walk() {
    // 1. The page opens with the start form (no run yet).
    const open = await waitFor(`document.getElementById('start').open && ${header('h-state')} === 'READY'`, 10);
    step('start_form_shown', open, `state=${await evaluate(header('h-state'))}`);
    // ...filled from the scenario: its users, spawn rate, host, run time and classes.
    const defaults = await evaluate(`['f-users', 'f-rate', 'f-host', 'f-time'].map((id) => document.getElementById(id).value).join(' ') + ' ' +
        [...document.querySelectorAll('#f-classes input')].map((i) => i.value + (i.checked ? '+' : '-')).join(',')`);
    step('form_defaults', defaults === '2 2 http://127.0.0.1:1 60s Reader+,Writer+', defaults);

    // 2. Fill the form and start against the demo target, Reader users only.
    await evaluate(`document.querySelector('#f-classes input[value=Writer]').click(); true`);
    await fillAndSubmit({ 'f-users': '4', 'f-rate': '100', 'f-host': targetUrl, 'f-time': '' });
    const running = await waitFor(`${header('h-state')} === 'RUNNING' && ${header('h-users')} === '4'`, 15);
    step('running_with_4_users', running, `state=${await evaluate(header('h-state'))} users=${await evaluate(header('h-users'))}`);
    step('form_closed', !(await evaluate(`document.getElementById('start').open`)));

    // 3. The table: a row appears and its numbers grow; the header's figures follow.
    const n1 = await waitFor(reqs('home'), 10);
    await sleep(2500);
    const n2 = await evaluate(reqs('home'));
    step('row_home_grows', n1 > 0 && n2 > n1, `${n1} -> ${n2}`);
    const rps = await evaluate(`Number(${header('h-rps')}.replace(/,/g, ''))`);
    step('header_rps_positive', rps > 0, `rps=${rps}`);
    const agg = await evaluate(row('Aggregated'));
    step('aggregated_row', agg && agg[0] === '' && Number(agg[2].replace(/,/g, '')) >= n2,
         JSON.stringify(agg));
    const cells = (table) => `[...document.querySelectorAll('#${table} tbody tr')].map((tr) => [...tr.cells].map((td) => td.textContent).join('|'))`;
    const failures = await evaluate(cells('failures'));
    step('failures_tab_rows', failures.length === 2 && failures.some((f) => /^[0-9,]+\|GET\|\/flaky\|HTTP 503/.test(f)) &&
         failures.some((f) => /\|GET\|token\|capture: /.test(f)), JSON.stringify(failures));
    step('picked_class_only', (await evaluate(row('writer-only'))) === null, 'no Writer request');
    // Exceptions: the scenario's own failures (the capture), not the target's 503.
    const exceptions = await evaluate(cells('exceptions'));
    step('exceptions_tab_rows', exceptions.length === 1 && /\|GET\|token\|capture: /.test(exceptions[0]), JSON.stringify(exceptions));
    // Current ratio: as planned for this start (Writer left out).
    const ratio = await evaluate(cells('ratio'));
    step('ratio_tab_rows', ratio[0] === 'Reader|3|100%' && ratio.some((r) => r.startsWith('home|3|')) &&
         ratio.includes('Writer|0|0%'), JSON.stringify(ratio));
    // Server-side metrics: the demo target's Server-Timing "app" per name.
    const metrics = await evaluate(cells('metrics'));
    step('metrics_tab_rows', metrics.some((m) => /^GET\|home\|app \(ms\)\|[0-9,]+\|/.test(m)), JSON.stringify(metrics.slice(0, 2)));
    // Logs: the master's recent lines, the newest first.
    const logs = await evaluate(cells('logs'));
    step('logs_tab_rows', logs.some((l) => /\|info\|run [0-9]+ started: 4 users/.test(l)), JSON.stringify(logs.slice(0, 3)));
    const failPct = await evaluate(`parseFloat(${header('h-fail')})`);
    step('header_fail_percent', failPct > 5 && failPct < 40, `${failPct}%`);
    const workers = await evaluate(`document.querySelectorAll('#workers tbody tr').length`);
    step('workers_tab_rows', workers === 2, `${workers} workers`);

    // 4. Charts: each SVG has its lines drawn, and they grow with the timeline.
    await evaluate(`document.querySelector('nav .tab[data-tab=charts]').click(); true`);
    const paths = `[...document.querySelectorAll('#t-charts svg path')].map((p) => (p.getAttribute('d').match(/[ML]/g) || []).length)`;
    const before = await waitFor(`(() => { const p = ${paths}; return p.length === 6 && p.every((n) => n >= 2) ? p : null; })()`, 10);
    step('chart_paths_drawn', before !== null, JSON.stringify(before ?? await evaluate(paths)));
    const visible = await evaluate(`[...document.querySelectorAll('#t-charts svg')].every((s) => s.getBoundingClientRect().height > 100)`);
    step('charts_visible', visible);
    if (shotPath) { // the Charts tab too, next to the screenshot: NAME-charts.png
        await sleep(3000);
        const shot = await cdp.send('Page.captureScreenshot', { format: 'png' }, sessionId);
        writeFileSync(shotPath.replace(/(\.png)?$/, '-charts.png'), Buffer.from(shot.data, 'base64'));
    }
    const grew = await waitFor(`(() => { const p = ${paths}; return p[0] > ${before ? before[0] : 0} ? p : null; })()`, 5);
    step('chart_paths_grow', grew !== null, JSON.stringify(grew));
    await evaluate(`document.querySelector('nav .tab[data-tab=stats]').click(); true`);

    // 5. Edit mid-run: 8 users; the header's count follows.
    await evaluate(`document.getElementById('b-edit').click(); true`);
    const editOpen = await evaluate(`document.getElementById('start').open && document.getElementById('f-submit').textContent === 'Update'`);
    step('edit_form_shown', editOpen);
    await fillAndSubmit({ 'f-users': '8', 'f-rate': '100' });
    const eight = await waitFor(`${header('h-users')} === '8'`, 15);
    step('edit_users_follow', eight, `users=${await evaluate(header('h-users'))}`);

    // 6. A bad form: /swarm's 400 message is shown in the page and nothing changes.
    await evaluate(`call('POST', '/swarm', 'user_count=-1&spawn_rate=1').then(() => true)`);
    const err = await waitFor(`!document.getElementById('error').hidden && document.getElementById('error').textContent`, 5);
    step('swarm_error_shown', Boolean(err), JSON.stringify(err));
    await sleep(1200);
    step('bad_form_changes_nothing', (await evaluate(header('h-users'))) === '8',
         `users=${await evaluate(header('h-users'))}`);
    // Locust's page shows the last good state: a good request clears the message.
    await evaluate(`showError(''); true`);

    if (shotPath) {
        await sleep(1500);
        const shot = await cdp.send('Page.captureScreenshot', { format: 'png' }, sessionId);
        writeFileSync(shotPath, Buffer.from(shot.data, 'base64'));
    }

    // 7. Stop: the state says so and "New test" is offered.
    await evaluate(`document.getElementById('b-stop').click(); true`);
    const stopped = await waitFor(`${header('h-state')} === 'STOPPED' && !document.getElementById('b-new').hidden && document.getElementById('b-stop').hidden`, 15);
    step('stopped', stopped, `state=${await evaluate(header('h-state'))}`);
    // The final reports are merged by the time the state says stopped; one more event to be sure.
    await sleep(2500);
    out.push(`final_aggregated ${await evaluate(reqs('Aggregated'))}`);

    // 8. Download data: the stats CSV through its link.
    await evaluate(`document.querySelector('nav .tab[data-tab=download]').click(); true`);
    const csv = await evaluate(`fetch(document.getElementById('d-stats').href).then((r) => r.text())`);
    const line = csv.split('\n').find((l) => l.startsWith(',Aggregated,'));
    step('csv_downloaded', csv.startsWith('Type,Name,Request Count,'), JSON.stringify(csv.slice(0, 40)));
    out.push(`csv_aggregated ${line ? line.split(',')[2] : 'none'}`);
    step('new_test_form', await evaluate(`document.getElementById('b-new').click(); document.getElementById('start').open && document.getElementById('f-submit').textContent === 'Start'`));

    // 9. The scenario broken on disk: Start is refused, its errors are shown with
    // file:line:column, nothing starts; the file is put back.
    const good = readFileSync(scenarioFile, 'utf8');
    writeFileSync(scenarioFile, 'name: broken\nusers: [\n');
    try {
        await evaluate(`document.getElementById('f-submit').click(); true`);
        const shown = await waitFor(`!document.getElementById('scenario-errors').hidden && document.getElementById('scenario-errors-text').textContent`, 10);
        const where = `${scenarioFile.split('/').pop()}:`;
        step('scenario_errors_shown', Boolean(shown) && shown.includes(where) && /:[0-9]+:[0-9]+: error/.test(shown), JSON.stringify(shown));
        await sleep(1200);
        step('broken_scenario_starts_nothing', (await evaluate(header('h-state'))) === 'STOPPED', await evaluate(header('h-state')));
    } finally {
        writeFileSync(scenarioFile, good);
    }
}

async function main() {
    await cdp.opened;
    const page = await openPage(cdp, pageUrl, { width: 1280, height: 720 });
    ({ sessionId } = page);
    try {
        await walk();
    } catch (e) {
        step('walk', false, e.message);
    }
    await cdp.send('Page.navigate', { url: 'about:blank' }, sessionId); // closes the event stream
    for (const r of page.seen.requests) out.push(`request ${r}`);
    for (const c of page.seen.console) out.push(`console ${c}`);
    console.log(out.join('\n'));
    process.exit(0);
}

main().catch((e) => {
    console.error(`web_page_check: ${e.message}`);
    process.exit(3);
});
