// cdp: a minimal Chrome DevTools Protocol session over one browser WebSocket (Node's own
// WebSocket, no npm packages), shared by the browser tests' drivers (html_check.mjs,
// web_page_check.mjs, web_runs_check.mjs).
// One session with flattened targets: send() a command, on() every event, once() the next
// event of a name in a session.
export class Cdp {
    constructor(url) {
        this.nextId = 1;
        this.pending = new Map();
        this.listeners = [];
        this.ws = new WebSocket(url);
        this.ws.onmessage = (ev) => this.onMessage(JSON.parse(ev.data));
        this.opened = new Promise((ok, fail) => {
            this.ws.onopen = ok;
            this.ws.onerror = () => fail(new Error(`cannot connect to ${url}`));
        });
    }
    onMessage(msg) {
        if (msg.id !== undefined) {
            const p = this.pending.get(msg.id);
            this.pending.delete(msg.id);
            if (!p) return;
            if (msg.error) p.fail(new Error(`${p.method}: ${msg.error.message}`));
            else p.ok(msg.result);
            return;
        }
        for (const l of this.listeners) l(msg);
    }
    send(method, params = {}, sessionId = undefined) {
        const id = this.nextId++;
        this.ws.send(JSON.stringify({ id, method, params, sessionId }));
        return new Promise((ok, fail) => this.pending.set(id, { ok, fail, method }));
    }
    on(fn) {
        this.listeners.push(fn);
    }
    // Resolves with the first event named `method` in session `sessionId`.
    once(method, sessionId) {
        return new Promise((ok) => {
            const fn = (msg) => {
                if (msg.method !== method || msg.sessionId !== sessionId) return;
                this.listeners = this.listeners.filter((l) => l !== fn);
                ok(msg.params);
            };
            this.on(fn);
        });
    }
}

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

// The value of expression evaluated in the page of sessionId (promises awaited).
export async function evaluateIn(cdp, sessionId, expression) {
    const r = await cdp.send('Runtime.evaluate',
                             { expression, returnByValue: true, awaitPromise: true }, sessionId);
    if (r.exceptionDetails) throw new Error(`evaluate ${expression}: ${r.exceptionDetails.text}`);
    return r.result.value;
}

// Polls expression in the page until it is truthy; returns its value, or null at the deadline.
export async function waitForIn(cdp, sessionId, expression, seconds) {
    const end = Date.now() + seconds * 1000;
    for (;;) {
        const v = await evaluateIn(cdp, sessionId, expression);
        if (v) return v;
        if (Date.now() > end) return null;
        await sleep(100);
    }
}

// Opens url in a new target of its own at viewport { width, height } (bypassCsp: with the
// page's Content-Security-Policy off) and waits for its load event. seen collects, from
// then on, every request the page makes and every console message, log entry and
// exception, as "type text" lines.
export async function openPage(cdp, url, { width, height, bypassCsp = false }) {
    const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
    const seen = { requests: [], console: [] };
    cdp.on((msg) => {
        if (msg.sessionId !== sessionId) return;
        const p = msg.params;
        if (msg.method === 'Network.requestWillBeSent') seen.requests.push(p.request.url);
        if (msg.method === 'Runtime.consoleAPICalled') {
            const text = p.args.map((a) => a.value ?? a.description ?? '').join(' ');
            seen.console.push(`${p.type} ${text}`);
        }
        if (msg.method === 'Runtime.exceptionThrown') {
            const d = p.exceptionDetails;
            seen.console.push(`exception ${d.exception?.description ?? d.text}`);
        }
        if (msg.method === 'Log.entryAdded') seen.console.push(`${p.entry.level} ${p.entry.text}`);
    });
    for (const domain of ['Page', 'Runtime', 'Log', 'Network']) {
        await cdp.send(`${domain}.enable`, {}, sessionId);
    }
    await cdp.send('Emulation.setDeviceMetricsOverride',
                   { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
    if (bypassCsp) await cdp.send('Page.setBypassCSP', { enabled: true }, sessionId);
    const loaded = cdp.once('Page.loadEventFired', sessionId);
    const nav = await cdp.send('Page.navigate', { url }, sessionId);
    if (nav.errorText) throw new Error(`cannot load ${url}: ${nav.errorText}`);
    await loaded;
    return { sessionId, targetId, seen };
}
