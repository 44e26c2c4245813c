// barrage's page, the Runs tab: every finished run the master keeps (GET /api/runs),
// two of them picked as before and after, and GET /api/compare's rows and both runs'
// p95 per second shown side by side. It follows app.js through its DOM events
// (barrage-state, barrage-tab) and has no channel of its own. The numbers shown are
// /api/compare's: nothing is recomputed here, only formatted as `barrage compare`
// prints them (the exact value stays in each cell's data-v).
'use strict';

(() => { // one scope: app.js's top-level names (const $, fmt, ...) are not ours to redeclare
  const byId = (id) => document.getElementById(id);
  const IN_FLIGHT = new Set(['spawning', 'running']);
  // /api/compare's keys, in `barrage compare`'s order, words and formats (report/compare.c).
  const METRICS = [
    { key: 'requests', label: 'requests', text: (v) => String(v), delta: (v) => `${v >= 0 ? '+' : ''}${v}` },
    { key: 'failures_pct', label: 'failure rate', text: (v) => `${fixed(v, 2)}%`, delta: (v) => `${plus(v, 2)}pt` },
    { key: 'rps', label: 'rps', text: (v) => fixed(v, 1), delta: (v) => plus(v, 1) },
    { key: 'p50_ms', label: 'p50 (ms)', text: ms, delta: signedMs },
    { key: 'p95_ms', label: 'p95 (ms)', text: ms, delta: signedMs },
    { key: 'p99_ms', label: 'p99 (ms)', text: ms, delta: signedMs },
  ];

  let runs = [];           // /api/runs's list, oldest first
  let pick = { before: 0, after: 0 }; // the ids picked (0: none)
  let picked = false;      // the user chose: new runs no longer move the defaults
  let shown = '';          // the pair whose compare is shown (ids and start times)
  let listSeq = 0;         // drops a list answer that a newer request overtook
  let compareSeq = 0;      // the same for compare answers
  let lastCompare = null;
  // A run in flight: the list's length before it, so that its end is seen once the
  // master has added it (the state says "stopped" a moment before the run is kept).
  let flight = null;       // null, or { base: length | -1 (unknown yet), tries }

  // printf's "%.Nf": toFixed, but an exact half rounds to even as glibc's printf does
  // (0.125 -> "0.12" where toFixed says "0.13"); toFixed(100) is the double's exact
  // decimal expansion, so only a true half is taken for one.
  function fixed(v, digits) {
    const neg = v < 0 || Object.is(v, -0), a = Math.abs(v);
    const exact = a.toFixed(100), cut = exact.indexOf('.') + (digits ? 1 + digits : 0);
    const head = exact.slice(0, cut);
    const half = /^\.?50*$/.test(exact.slice(cut)) && Number(head.slice(-1)) % 2 === 0;
    return (neg ? '-' : '') + (half ? head : a.toFixed(digits));
  }
  // printf's "%+.Nf".
  function plus(v, digits) {
    const s = fixed(v, digits);
    return s.startsWith('-') ? s : `+${s}`;
  }
  // summary_format_ms: 3 decimals below 1 ms, then 2, 1, 0 (thresholds on whole µs;
  // /api/compare's milliseconds are µs / 1000).
  function ms(v) {
    const us = Math.round(Math.abs(v) * 1000); // whole µs, as barrage compare formats them
    return fixed(us / 1000, us < 1000 ? 3 : us < 9995 ? 2 : us < 99950 ? 1 : 0);
  }
  function signedMs(v) {
    return (v > 0 ? '+' : v < 0 ? '-' : '') + ms(v);
  }
  function num(v, digits) {
    if (typeof v !== 'number' || !isFinite(v)) return '-';
    return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
  }
  function when(msEpoch) {
    const d = new Date(msEpoch);
    const two = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ` +
           `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  }

  // A cell with its text and, for a number, the exact value in data-v.
  function td(tr, text, value, cls) {
    const c = document.createElement('td');
    c.textContent = text;
    if (value !== undefined) c.dataset.v = value === null ? 'null' : String(value);
    if (cls) c.className = cls;
    tr.appendChild(c);
    return c;
  }

  async function getJson(url) {
    const res = await fetch(url, { headers: { Accept: 'application/json' } });
    const body = await res.json();
    if (!res.ok) throw new Error(`${url}: ${body && body.message ? body.message : `HTTP ${res.status}`}`);
    return body;
  }

  function note(text) {
    const p = byId('r-note');
    p.textContent = text || '';
    p.hidden = !text;
  }

  // ---------------------------------------------------------------- the list

  async function refresh() {
    const seq = ++listSeq;
    let list;
    try {
      list = (await getJson('/api/runs')).runs;
    } catch (e) {
      if (seq === listSeq) note(e.message);
      return null;
    }
    if (seq !== listSeq) return list.length;
    runs = list;
    const ids = new Set(runs.map((r) => r.id));
    if (!picked || !ids.has(pick.before) || !ids.has(pick.after)) {
      picked = false;
      const n = runs.length;
      pick = { before: n >= 2 ? runs[n - 2].id : 0, after: n >= 2 ? runs[n - 1].id : 0 };
    }
    drawList();
    compare();
    return list.length;
  }

  function radio(tr, side, id) {
    const c = td(tr, '');
    const r = document.createElement('input');
    r.type = 'radio';
    r.name = `r-${side}`;
    r.value = String(id);
    r.checked = pick[side] === id;
    r.title = `compare run ${id} as ${side}`;
    r.addEventListener('change', () => {
      pick[side] = id;
      picked = true;
      compare();
    });
    c.appendChild(r);
  }

  function drawList() {
    const tbody = byId('runs').tBodies[0];
    const fresh = document.createDocumentFragment();
    for (const r of [...runs].reverse()) { // newest first
      const tr = document.createElement('tr');
      tr.dataset.id = String(r.id);
      radio(tr, 'before', r.id);
      radio(tr, 'after', r.id);
      td(tr, String(r.id), r.id);
      td(tr, r.name || '', undefined, 'name').title = r.scenario || '';
      td(tr, when(r.started_ms), r.started_ms);
      td(tr, `${num(r.duration_s, 1)} s`, r.duration_s);
      td(tr, num(r.users, 0), r.users);
      td(tr, num(r.requests, 0), r.requests);
      td(tr, `${num(r.failure_rate_pct, 2)}%`, r.failure_rate_pct);
      td(tr, r.p95_ms === null ? '-' : ms(r.p95_ms), r.p95_ms);
      td(tr, num(r.rps, 1), r.rps);
      const t = r.thresholds;
      td(tr, t ? `${t - r.thresholds_failed}/${t} passed` : '-', r.thresholds_failed,
         t && r.thresholds_failed ? 'failed' : '').title = t ? '' : 'the scenario sets no thresholds';
      const a = document.createElement('a');
      a.href = `/api/runs/${r.id}/json`;
      a.textContent = 'JSON';
      a.className = 'json';
      td(tr, '').appendChild(a);
      fresh.appendChild(tr);
    }
    tbody.replaceChildren(fresh);
    byId('r-empty').hidden = runs.length > 0;
    byId('r-one').hidden = runs.length !== 1;
  }

  // ---------------------------------------------------------------- compare

  async function compare() {
    // A master restarted on its --results-dir numbers its runs again: the start times
    // tell a run 2 from another run 2.
    const started = (id) => (runs.find((r) => r.id === id) || {}).started_ms;
    const key = `${pick.before}@${started(pick.before)},${pick.after}@${started(pick.after)}`;
    if (!pick.before || !pick.after) {
      shown = '';
      byId('r-compare').hidden = true;
      return;
    }
    if (key === shown) return;
    const seq = ++compareSeq;
    let c;
    try {
      c = await getJson(`/api/compare?before=${pick.before}&after=${pick.after}`);
    } catch (e) {
      if (seq === compareSeq) note(e.message);
      return;
    }
    if (seq !== compareSeq) return;
    note('');
    shown = key;
    lastCompare = c;
    drawCompare(c);
  }

  function drawCompare(c) {
    byId('r-compare').hidden = false;
    byId('r-title').textContent =
      `run ${pick.before} (${c.before.scenario}, ${num(c.before.run_seconds, 1)} s) → ` +
      `run ${pick.after} (${c.after.scenario}, ${num(c.after.run_seconds, 1)} s)`;
    const tbody = byId('r-rows').tBodies[0];
    const fresh = document.createDocumentFragment();
    for (const row of c.rows) {
      METRICS.forEach((m, i) => {
        const tr = document.createElement('tr');
        tr.dataset.name = row.name;
        tr.dataset.metric = m.key;
        if (i === 0) {
          const name = td(tr, row.name, undefined, 'name');
          name.rowSpan = METRICS.length;
          tr.className = 'first';
        }
        td(tr, m.label, undefined, 'metric');
        const side = (s) => (row[s] ? row[s][m.key] : null);
        for (const s of ['before', 'after']) td(tr, side(s) === null ? '-' : m.text(side(s)), side(s));
        const d = row.delta[m.key], p = row.delta_pct[m.key];
        td(tr, d === null ? '-' : m.delta(d), d);
        // delta_pct is null where the before value is 0 and the after is not: +inf%.
        td(tr, p !== null ? `${plus(p, 1)}%` : d !== null && d !== 0 ? '+inf%' : '-', p);
        if (i === 0) {
          const v = td(tr, row.verdict, undefined, `verdict v-${row.verdict.replace('/', '')}`);
          v.rowSpan = METRICS.length;
        }
        fresh.appendChild(tr);
      });
    }
    tbody.replaceChildren(fresh);
    byId('r-rules').textContent =
      `A latency change counts when p95 or p99 moves by more than ${c.rules.rel_pct}% and more ` +
      `than ${c.rules.abs_ms} ms; a failure-rate change when it moves by more than ` +
      `${c.rules.fail_rate_points} points.`;
    byId('r-key-before').textContent = `p95 of run ${pick.before} (before)`;
    byId('r-key-after').textContent = `p95 of run ${pick.after} (after)`;
    drawChart(byId('r-chart'), [
      { cls: 'run-before', points: c.p95_per_second.before },
      { cls: 'run-after', points: c.p95_per_second.after },
    ]);
  }

  // ---------------------------------------------------------------- the chart

  function niceMax(v) {
    if (!(v > 0)) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
    return 10 * p;
  }

  // Both runs' p95 per second on one time axis (seconds since each run started): series
  // [{cls, points: [[second, ms], ...]}], one path point per second with requests.
  function drawChart(svg, series) {
    const W = Math.max(300, Math.round(svg.getBoundingClientRect().width) || 800);
    const H = 240, L = 56, R = 10, T = 10, B = 24;
    svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
    let maxY = 0, maxX = 1;
    for (const s of series) {
      for (const [x, y] of s.points) {
        if (y > maxY) maxY = y;
        if (x > maxX) maxX = x;
      }
    }
    maxY = niceMax(maxY);
    const X = (t) => L + (t / maxX) * (W - L - R);
    const Y = (v) => H - B - (v / maxY) * (H - T - B);
    const parts = [];
    for (let i = 0; i <= 4; i++) {
      const v = (maxY * i) / 4, y = Y(v).toFixed(1);
      parts.push(`<line class="grid" x1="${L}" x2="${W - R}" y1="${y}" y2="${y}"/>`);
      parts.push(`<text x="${L - 6}" y="${y}" text-anchor="end" dy="4">${num(v, 2)}</text>`);
    }
    parts.push(`<line class="axis" x1="${L}" x2="${L}" y1="${T}" y2="${H - B}"/>`);
    parts.push(`<line class="axis" x1="${L}" x2="${W - R}" y1="${H - B}" y2="${H - B}"/>`);
    parts.push(`<text x="${L}" y="${H - 6}">0s</text>`);
    parts.push(`<text x="${W - R}" y="${H - 6}" text-anchor="end">${maxX}s</text>`);
    for (const s of series) {
      if (!s.points.length) continue;
      const d = s.points.map(([x, y], i) => `${i ? 'L' : 'M'}${X(x).toFixed(1)} ${Y(y).toFixed(1)}`);
      parts.push(`<path class="${s.cls}" d="${d.join(' ')}"/>`);
      // A one-second run is a single point: a path alone would draw nothing.
      if (s.points.length === 1) {
        const [x, y] = s.points[0];
        parts.push(`<circle class="${s.cls}" cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="3"/>`);
      }
    }
    svg.innerHTML = parts.join('');
  }

  // ---------------------------------------------------------------- following app.js

  // A run's end: ask for the list until the finished run is in it (a few seconds at
  // most; a run that ended without any worker is never added).
  async function onState(s) {
    if (IN_FLIGHT.has(s.state)) {
      if (!flight) {
        flight = { base: -1, tries: 0 };
        const f = flight;
        try {
          f.base = (await getJson('/api/runs')).runs.length;
        } catch (e) {
          f.base = runs.length;
        }
      }
      return;
    }
    if (!flight || flight.base < 0 || s.state !== 'stopped') return;
    const f = flight;
    f.tries++;
    const n = await refresh();
    if (flight === f && ((n !== null && n > f.base) || f.tries >= 10)) flight = null;
  }

  function onTab(name) {
    if (name !== 'runs') return;
    refresh();
    if (lastCompare && !byId('r-compare').hidden) drawCompare(lastCompare); // its width now
  }

  document.addEventListener('barrage-state', (ev) => onState(ev.detail));
  document.addEventListener('barrage-tab', (ev) => onTab(ev.detail));
})();
