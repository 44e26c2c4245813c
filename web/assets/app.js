// barrage's page: one EventSource on /events (barrage's JSON state, docs/web.md),
// the Locust form API for the controls, and small SVG line charts of our own.
'use strict';

const $ = (id) => document.getElementById(id);
let last = null;       // the latest state
let formMode = 'start';
let offered = false;  // the start form was opened once by itself

function fmt(v, digits) {
  if (typeof v !== 'number' || !isFinite(v)) return '';
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

// Milliseconds as Locust shows them (whole), with decimals below 10 ms where whole
// numbers would say 0 (a fast local target answers in well under a millisecond).
function fmtMs(v) {
  return fmt(v, v < 10 ? 2 : 0);
}

function cell(tr, text) {
  const td = document.createElement('td');
  td.textContent = text;
  tr.appendChild(td);
}

function fillRows(tbody, rows, render) {
  const fresh = document.createDocumentFragment();
  for (const r of rows) {
    const tr = document.createElement('tr');
    render(tr, r);
    fresh.appendChild(tr);
  }
  tbody.replaceChildren(fresh);
}

function showError(message) {
  const p = $('error');
  p.textContent = message || '';
  p.hidden = !message;
}

// ---------------------------------------------------------------- charts

// One line chart in svg: series [{cls, values}], x = seconds. Own code, no library:
// three charts of a few hundred points need ~80 lines, and the page stays offline.
function chart(svg, seconds, series) {
  // As wide as the chart is on screen (800 while hidden), so text keeps its size.
  const W = Math.max(300, Math.round(svg.getBoundingClientRect().width) || 800);
  const H = 220, L = 50, R = 10, T = 10, B = 24;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const n = seconds.length;
  let max = 0;
  for (const s of series) for (const v of s.values) if (v > max) max = v;
  max = niceMax(max);
  const x0 = n ? seconds[0] : 0, x1 = n > 1 ? seconds[n - 1] : x0 + 1;
  const X = (t) => L + ((t - x0) / (x1 - x0 || 1)) * (W - L - R);
  const Y = (v) => H - B - (v / max) * (H - T - B);
  const parts = [];
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4, y = Y(v).toFixed(1);
    parts.push(`<line class="grid" x1="${L}" x2="${W - R}" y1="${y}" y2="${y}"/>`);
    parts.push(`<text x="${L - 6}" y="${y}" text-anchor="end" dy="4">${fmt(v, 1)}</text>`);
  }
  parts.push(`<line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${H - B}"/>`);
  parts.push(`<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/>`);
  if (n) {
    parts.push(`<text x="${L}" y="${H - 6}">${x0}s</text>`);
    parts.push(`<text x="${W - R}" y="${H - 6}" text-anchor="end">${x1}s</text>`);
  }
  for (const s of series) {
    if (!n) continue;
    const d = s.values.map((v, i) => `${i ? 'L' : 'M'}${X(seconds[i]).toFixed(1)} ${Y(v).toFixed(1)}`);
    parts.push(`<path class="${s.cls}" d="${d.join(' ')}"/>`);
  }
  svg.innerHTML = parts.join('');
}

function niceMax(v) {
  if (!(v > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

function drawCharts(timeline) {
  const t = timeline.map((p) => p.second);
  chart($('c-rps'), t, [
    { cls: 'rps', values: timeline.map((p) => p.rps) },
    { cls: 'fails', values: timeline.map((p) => p.fail_per_sec) },
  ]);
  chart($('c-times'), t, [
    { cls: 'p50', values: timeline.map((p) => p.p50_ms) },
    { cls: 'p95', values: timeline.map((p) => p.p95_ms) },
    { cls: 'p99', values: timeline.map((p) => p.p99_ms) },
  ]);
  chart($('c-users'), t, [{ cls: 'users', values: timeline.map((p) => p.users) }]);
}

// ---------------------------------------------------------------- state

const RUNNING = new Set(['spawning', 'running']);

function render(s) {
  last = s;
  $('h-state').textContent = s.state.toUpperCase();
  $('h-users').textContent = fmt(s.users, 0);
  $('h-workers').textContent = fmt(s.worker_count, 0);
  $('h-rps').textContent = fmt(s.total_rps, 1);
  $('h-fail').textContent = fmt(s.fail_percent, s.fail_percent < 10 ? 1 : 0) + '%';
  $('h-dropped').textContent = fmt(s.dropped, 0);
  $('h-dropped-box').hidden = !(s.run && s.run.mode === 'open');
  $('h-host').textContent = s.run && s.run.host ? s.run.host : '';
  document.title = `barrage — ${s.state}`;
  const running = RUNNING.has(s.state);
  $('b-stop').hidden = $('b-reset').hidden = $('b-edit').hidden = !running;
  $('b-new').hidden = running || !s.run;
  if (running && formMode === 'start' && $('start').open) $('start').close();
  if (!running && !s.run && !offered) {
    offered = true;
    openForm('start');
  }
  fillRows($('stats').tBodies[0], s.stats, (tr, r) => {
    if (r.name === 'Aggregated' && r.method === null) tr.className = 'total';
    cell(tr, r.method || '');
    cell(tr, r.name);
    cell(tr, fmt(r.requests, 0));
    cell(tr, fmt(r.failures, 0));
    for (const k of ['median_ms', 'p90_ms', 'p95_ms', 'p99_ms', 'avg_ms', 'min_ms', 'max_ms'])
      cell(tr, fmtMs(r[k]));
    cell(tr, fmt(r.avg_size_bytes, 0));
    cell(tr, fmt(r.current_rps, 1));
    cell(tr, fmt(r.current_fail_per_sec, 1));
  });
  fillRows($('failures').tBodies[0], s.failures, (tr, f) => {
    cell(tr, fmt(f.count, 0));
    cell(tr, f.method);
    cell(tr, f.name);
    cell(tr, f.reason);
  });
  fillRows($('workers').tBodies[0], s.workers, (tr, w) => {
    cell(tr, w.id);
    cell(tr, w.host);
    cell(tr, w.state);
    cell(tr, fmt(w.users, 0));
    cell(tr, fmt(w.reports, 0));
    cell(tr, w.lost ? 'lost' : '');
    cell(tr, fmt(w.cpu_percent, 0));
    cell(tr, fmt(w.cpu_max_percent, 0));
    cell(tr, fmt(w.rss_mib, 1));
    cell(tr, fmt(w.connections, 0));
    cell(tr, fmt(w.lag_max_ms, 1));
  });
  const sat = s.saturation.map((x) => `worker ${x.worker} was saturated from ${fmt(x.from_s, 1)} s to ${fmt(x.to_s, 1)} s (CPU up to ${fmt(x.cpu_max_percent, 0)}%): its latencies include time waiting for CPU; add workers or processes`);
  $('saturation').textContent = sat.join('\n');
  $('saturation').hidden = sat.length === 0;
  fillRows($('exceptions').tBodies[0], s.exceptions, (tr, e) => {
    cell(tr, fmt(e.count, 0));
    cell(tr, e.method);
    cell(tr, e.name);
    cell(tr, e.reason);
  });
  fillRows($('metrics').tBodies[0], s.metrics, (tr, m) => {
    const v = (x) => (m.unit === 'ms' ? fmtMs(x) : fmt(x, 1));
    cell(tr, m.method);
    cell(tr, m.name);
    cell(tr, m.unit === 'ms' ? `${m.metric} (ms)` : `${m.metric} (X-Query-Count)`);
    cell(tr, fmt(m.count, 0));
    for (const k of ['avg', 'p50', 'p95', 'p99', 'max']) cell(tr, v(m[k]));
  });
  fillRows($('logs').tBodies[0], s.logs.slice().reverse(), (tr, l) => {
    tr.className = l.level;
    cell(tr, new Date(l.wall_ms).toLocaleTimeString('en-GB', { hour12: false }));
    cell(tr, l.level);
    cell(tr, l.text);
  });
  renderThresholds(s.thresholds, s.aborted_by);
  renderScenario(s.scenario);
  drawCharts(s.timeline);
  // Other parts of the page (runs.js) follow the state without a channel of their own.
  document.dispatchEvent(new CustomEvent('barrage-state', { detail: s }));
}

// Each threshold's verdict (live while running), and the one that stopped the run.
function renderThresholds(list, abortedBy) {
  const p = $('thresholds');
  const items = list.map((t) => {
    const label = t.name ? `${t.name}: ${t.check}` : t.check;
    return Object.assign(document.createElement('span'), {
      className: t.passed ? 'pass' : 'fail',
      textContent: `${t.passed ? '✓' : '✗'} ${label} (${t.measured})`,
    });
  });
  if (abortedBy)
    items.push(Object.assign(document.createElement('span'), { className: 'aborted', textContent: `stopped by ${abortedBy}` }));
  p.replaceChildren(...items);
  p.hidden = items.length === 0;
}

// The scenario the next start takes: its errors (a start refused) and, in Current
// ratio, its classes and tasks with the share each gets (as planned: weights).
function renderScenario(sc) {
  $('scenario-errors').hidden = !(sc && sc.errors);
  $('scenario-errors-text').textContent = sc && sc.errors ? sc.errors : '';
  const rows = [];
  if (sc) {
    for (const c of sc.classes) {
      rows.push({ cls: 'class', name: c.name, weight: c.weight, ratio: c.ratio });
      for (const t of c.tasks)
        rows.push({ cls: 'task', name: t.name, weight: t.weight, ratio: t.ratio * c.ratio, within: t.ratio });
    }
  }
  fillRows($('ratio').tBodies[0], rows, (tr, r) => {
    tr.className = r.cls;
    cell(tr, r.name);
    cell(tr, fmt(r.weight, 0));
    const pct = `${fmt(100 * r.ratio, 1)}%`;
    cell(tr, r.cls === 'task' ? `${pct} (${fmt(100 * r.within, 1)}% of its class)` : pct);
  });
  $('ratio-note').textContent = !sc ? '' : sc.mode === 'open'
    ? `${sc.file}: each arrival picks a class by weight, then a task by weight.`
    : `${sc.file}: users are split over the classes by weight (exactly, over all workers); each user picks its tasks by weight.`;
}

// The form's fields for the scenario's model: users and spawn rate (closed), or
// max users and the arrival rate (open; Locust's fields carry them to /swarm).
function formFields(sc) {
  const open = sc && sc.mode === 'open';
  $('f-users-label').textContent = open ? 'Max users (iterations in flight at most)' : 'Number of users (peak concurrency)';
  $('f-rate-label').textContent = open ? 'Arrival rate (iterations started/second)' : 'Spawn rate (users started/second)';
  $('f-file').textContent = sc ? `Scenario: ${sc.file}` : '';
  $('f-stages').hidden = !(sc && sc.stages);
  $('f-stages').textContent = sc && sc.stages ? `Stages (from the scenario): ${sc.stages}` : '';
  const box = $('f-classes');
  const names = sc ? sc.classes.map((c) => c.name) : [];
  box.hidden = names.length < 2 || open;
  const have = [...box.querySelectorAll('input')].map((i) => i.value);
  if (have.join('\n') === names.join('\n')) return;
  box.replaceChildren(Object.assign(document.createElement('legend'), { textContent: 'User classes' }));
  for (const c of sc ? sc.classes : []) {
    const label = document.createElement('label');
    const input = Object.assign(document.createElement('input'), { type: 'checkbox', name: 'user_classes', value: c.name, checked: c.weight > 0 });
    label.append(input, c.name);
    box.appendChild(label);
  }
}

// ---------------------------------------------------------------- controls

function openForm(mode) {
  formMode = mode;
  const d = $('start');
  d.className = mode === 'edit' ? 'edit' : '';
  $('f-title').textContent = mode === 'edit' ? 'Edit running load test' : 'Start new load test';
  $('f-submit').textContent = mode === 'edit' ? 'Update' : 'Start';
  // Defaults: the scenario the next start takes (the running run's for an edit).
  const sc = last && last.scenario;
  const run = last && last.run;
  formFields(mode === 'edit' && run ? { ...sc, mode: run.mode } : sc);
  const open = mode === 'edit' && run ? run.mode === 'open' : sc && sc.mode === 'open';
  if (mode === 'edit') {
    $('f-users').value = run && open ? run.users : last ? last.users : '';
    if (run) $('f-rate').value = open ? run.rate : run.spawn_rate || '';
  } else if (sc && !$('f-users').value) {
    $('f-users').value = sc.users;
    $('f-rate').value = open ? sc.rate : sc.spawn_rate || sc.users; // 0 = all at once: in 1 s
    $('f-host').value = sc.host || '';
    $('f-time').value = sc.run_time_s ? `${sc.run_time_s}s` : '';
  }
  if (!d.open) d.showModal();
}

async function call(method, url, body) {
  const opts = { method, headers: {} };
  if (body) {
    opts.body = body;
    opts.headers['Content-Type'] = 'application/x-www-form-urlencoded';
  }
  let res;
  try {
    res = await fetch(url, opts);
  } catch (e) {
    showError(`${url}: ${e.message}`);
    return false;
  }
  const text = await res.text();
  let msg = '';
  try {
    const j = JSON.parse(text);
    if (j && j.success === false) msg = j.message;
  } catch (e) {
    // /stats/reset answers "ok" as plain text, as Locust's does
  }
  if (!res.ok || msg) {
    showError(msg || `${url}: HTTP ${res.status}`);
    return false;
  }
  showError('');
  return true;
}

async function submitForm(ev) {
  ev.preventDefault();
  const f = new URLSearchParams();
  f.set('user_count', $('f-users').value.trim());
  f.set('spawn_rate', $('f-rate').value.trim());
  if (formMode === 'start') {
    f.set('host', $('f-host').value.trim());
    f.set('run_time', $('f-time').value.trim());
    if (!$('f-classes').hidden) {
      const picked = [...$('f-classes').querySelectorAll('input:checked')];
      if (!picked.length) return showError('Pick at least one user class.');
      for (const c of picked) f.append('user_classes', c.value);
    }
  }
  if (await call('POST', '/swarm', f.toString())) $('start').close();
}

function showTab(name) {
  for (const b of document.querySelectorAll('nav .tab')) b.classList.toggle('on', b.dataset.tab === name);
  for (const sec of document.querySelectorAll('main > section')) sec.hidden = sec.id !== `t-${name}`;
  if (name === 'charts' && last) drawCharts(last.timeline);
  document.dispatchEvent(new CustomEvent('barrage-tab', { detail: name }));
}

function connect() {
  const es = new EventSource('/events');
  es.onmessage = (ev) => render(JSON.parse(ev.data));
  // EventSource reconnects by itself (retry: 1000): the header says so meanwhile.
  es.onerror = () => { $('h-state').textContent = 'OFFLINE'; };
}

document.addEventListener('DOMContentLoaded', () => {
  $('f-start').addEventListener('submit', submitForm);
  $('f-cancel').addEventListener('click', () => $('start').close());
  $('b-new').addEventListener('click', () => openForm('start'));
  $('b-edit').addEventListener('click', () => openForm('edit'));
  $('b-stop').addEventListener('click', () => call('GET', '/stop'));
  $('b-reset').addEventListener('click', () => call('GET', '/stats/reset'));
  for (const b of document.querySelectorAll('nav .tab')) b.addEventListener('click', () => showTab(b.dataset.tab));
  connect();
});
