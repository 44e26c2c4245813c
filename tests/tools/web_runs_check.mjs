// web_runs_check: drives the Runs tab of barrage's web page (GET /) in an already running
// headless Chromium over the DevTools protocol (tests/tools/cdp.mjs, no npm packages)
// while tests/e2e/test_web_runs_page.sh makes two runs, and prints what the page shows,
// one fact per line, for the test to judge against /api/compare and `barrage compare`:
//
//   step <name> ok|FAIL <detail>   each step of the walk and whether the page showed it
//   list <json>                    the list's rows, newest first: {id, v: {column: data-v}, json: href}
//   compare <before> <after> <json> the compare table as shown after picking that pair:
//                                  [{name, verdict, metrics: {key: {v: [4 data-v], text: [4 cells]}}}]
//   chart <json>                   the chart's paths: [{cls, points: [[x, y], ...]}]
//   json_link <id> <status> <bytes> its JSON link fetched from the page
//   request <url>                  every request the page made (Network domain)
//   console <level> <text>         console messages, log entries and exceptions
//
// The walk and the test meet through PROGRESS_FILE: the driver appends "ready" once the
// Runs tab is open (no run yet), "one" once the list shows the first run (the test then
// starts the second); the list must follow each run's end without a reload.
//
// Usage: node --experimental-websocket web_runs_check.mjs DEVTOOLS_ACTIVE_PORT_FILE
//        PAGE_URL PROGRESS_FILE [SCREENSHOT.png]
// Exit 0 when the walk ended (the caller judges the facts), 3 on a protocol failure.
import { Cdp, evaluateIn, openPage, sleep, waitForIn } from './cdp.mjs';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const [portFile, pageUrl, progressFile, shotPath] = process.argv.slice(2);
if (!portFile || !pageUrl || !progressFile) {
    console.error('usage: web_runs_check.mjs DEVTOOLS_ACTIVE_PORT_FILE PAGE_URL PROGRESS_FILE ' +
                  '[SCREENSHOT.png]');
    process.exit(2);
}
setTimeout(() => {
    console.error('web_runs_check: timed out after 80s');
    process.exit(3);
}, 80000).unref();

const [port, path] = readFileSync(portFile, 'utf8').split('\n');
const cdp = new Cdp(`ws://127.0.0.1:${port.trim()}${path.trim()}`);
const out = [];
let sessionId;

const evaluate = (expression) => evaluateIn(cdp, sessionId, expression);
const waitFor = (expression, seconds) => waitForIn(cdp, sessionId, expression, seconds);

function step(name, ok, detail) {
    out.push(`step ${name} ${ok ? 'ok' : 'FAIL'} ${detail ?? ''}`);
}

const shown = (id) => `!document.getElementById('${id}').hidden`;
const listIds = `[...document.querySelectorAll('#runs tbody tr')].map((tr) => Number(tr.dataset.id))`;
const COLUMNS = ['id', 'started_ms', 'duration_s', 'users', 'requests', 'failure_rate_pct', 'p95_ms', 'rps',
                 'thresholds_failed'];
// The list as shown: per row its data-v values by column, the thresholds cell's text.
const listRows = `[...document.querySelectorAll('#runs tbody tr')].map((tr) => {
    const v = [...tr.cells].filter((td) => td.dataset.v !== undefined).map((td) => td.dataset.v);
    const cols = ${JSON.stringify(COLUMNS)};
    return { id: Number(tr.dataset.id), name: tr.querySelector('td.name').textContent,
             v: Object.fromEntries(cols.map((c, i) => [c, v[i]])),
             checked: [...tr.querySelectorAll('input')].map((r) => r.checked),
             thresholds: tr.cells[tr.cells.length - 2].textContent,
             json: tr.querySelector('a.json').href };
})`;
// The compare table as shown: per name its verdict and per metric the four cells.
const table = `(() => { const rows = [];
    for (const tr of document.querySelectorAll('#r-rows tbody tr')) {
        if (tr.className === 'first') rows.push({ name: tr.dataset.name,
            verdict: tr.querySelector('td.verdict').textContent, metrics: {} });
        const cells = [...tr.cells].filter((td) => td.dataset.v !== undefined);
        rows[rows.length - 1].metrics[tr.dataset.metric] = {
            label: tr.querySelector('td.metric').textContent,
            v: cells.map((td) => td.dataset.v), text: cells.map((td) => td.textContent) };
    }
    return rows; })()`;
const title = `document.getElementById('r-title').textContent`;
const chart = `[...document.querySelectorAll('#r-chart path')].map((p) => ({ cls: p.getAttribute('class'),
    points: p.getAttribute('d').split(/(?=[ML])/).map((s) => s.slice(1).trim().split(' ').map(Number)) }))`;

// Picks run `before` and run `after` with the radios, as a user would; returns the table
// once the compare of that pair is shown, or null.
async function pick(before, after) {
    await evaluate(`(() => {
        document.querySelector('#runs tr[data-id="${before}"] input[name=r-before]').click();
        document.querySelector('#runs tr[data-id="${after}"] input[name=r-after]').click();
        return true; })()`);
    const want = `run ${before} (`;
    const ok = await waitFor(`${shown('r-compare')} && ${title}.startsWith(${JSON.stringify(want)}) &&
        ${title}.includes(${JSON.stringify(`→ run ${after} (`)})`, 5);
    return ok ? evaluate(table) : null;
}

async function walk() {
    // 1. No run yet: the start form opens by itself; the user cancels it and opens Runs.
    await waitFor(`document.getElementById('start').open`, 10);
    await evaluate(`document.getElementById('f-cancel').click(); true`);
    await evaluate(`document.querySelector('nav .tab[data-tab=runs]').click(); true`);
    const empty = await waitFor(`${shown('t-runs')} && ${shown('r-empty')} && ${listIds}.length === 0 &&
        !${shown('r-compare')}`, 10);
    step('runs_tab_empty', empty, `rows=${JSON.stringify(await evaluate(listIds))}`);
    appendFileSync(progressFile, 'ready\n');

    // 2. The test makes run 1: the list follows its end without a reload.
    const one = await waitFor(`(() => { const ids = ${listIds}; return ids.length === 1 && ${shown('r-one')} ? ids : null; })()`, 30);
    step('list_after_run1', one !== null && one[0] === 1 && !(await evaluate(shown('r-compare'))),
         JSON.stringify(one ?? await evaluate(listIds)));
    appendFileSync(progressFile, 'one\n');

    // 3. Run 2: both listed, newest first, and compared at once (the last two by default).
    const two = await waitFor(`(() => { const ids = ${listIds}; return ids.length === 2 ? ids : null; })()`, 30);
    step('list_after_run2', two !== null && two[0] === 2 && two[1] === 1 && !(await evaluate(shown('r-one'))),
         JSON.stringify(two ?? await evaluate(listIds)));
    const dflt = await waitFor(`${shown('r-compare')} && ${title}.startsWith('run 1 (') && ${title}.includes('→ run 2 (')`, 5);
    const rows = await evaluate(listRows);
    // [before, after] radios: run 2's row has after checked, run 1's before.
    const checks = JSON.stringify(rows.map((r) => r.checked));
    step('defaults_last_two', Boolean(dflt) && checks === '[[false,true],[true,false]]',
         `${JSON.stringify(await evaluate(title))} radios ${checks}`);
    out.push(`list ${JSON.stringify(rows)}`);

    // 4. Pick them the other way round, then back: each pick shows its own compare.
    const reversed = await pick(2, 1);
    step('pick_reversed', reversed !== null, JSON.stringify(await evaluate(title)));
    out.push(`compare 2 1 ${JSON.stringify(reversed)}`);
    const forward = await pick(1, 2);
    step('pick_forward', forward !== null, JSON.stringify(await evaluate(title)));
    out.push(`compare 1 2 ${JSON.stringify(forward)}`);

    // 5. The chart of both runs' p95, drawn at its on-screen width.
    const paths = await evaluate(chart);
    const visible = await evaluate(`document.getElementById('r-chart').getBoundingClientRect().height > 100`);
    step('chart_visible', visible && paths.length === 2, `${paths.length} paths`);
    out.push(`chart ${JSON.stringify(paths)}`);

    // 6. Each run's JSON link answers from the master.
    for (const r of rows) {
        const got = await evaluate(`fetch(${JSON.stringify(r.json)}).then(async (res) =>
            [res.status, (await res.text()).length])`);
        out.push(`json_link ${r.id} ${r.json} ${got[0]} ${got[1]}`);
    }

    if (shotPath) {
        const shot = await cdp.send('Page.captureScreenshot', { format: 'png' }, sessionId);
        writeFileSync(shotPath, Buffer.from(shot.data, 'base64'));
    }
}

async function main() {
    await cdp.opened;
    const page = await openPage(cdp, pageUrl, { width: 1280, height: 900 });
    ({ sessionId } = page);
    try {
        await walk();
    } catch (e) {
        step('walk', false, e.message);
    }
    appendFileSync(progressFile, 'done\n');
    await cdp.send('Page.navigate', { url: 'about:blank' }, sessionId); // closes the event stream
    for (const r of page.seen.requests) out.push(`request ${r}`);
    for (const c of page.seen.console) out.push(`console ${c}`);
    console.log(out.join('\n'));
    process.exit(0);
}

main().catch((e) => {
    console.error(`web_runs_check: ${e.message}`);
    process.exit(3);
});
