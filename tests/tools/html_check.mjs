// html_check: opens an HTML report in an already running headless Chromium over
// the DevTools protocol (no npm packages: Node's own WebSocket, zlib and fs) and
// prints what the browser saw, one fact per line, for a test to assert on:
//
//   request <url>            every network request the page made (the page itself included)
//   console <level> <text>   console messages, log entries and exceptions
//   svg <n> <rendered>       SVG elements in the DOM, and how many have a non-empty box
//   chart <i> <w>x<h> colours=<n> drawn=<k>/<m> title=<text>
//                            per chart: distinct colours in its pixels, and how many of its
//                            m data colours (line strokes, bar fills) are painted in its plot
//   page <w>x<h> colours=<n> ink=<pct>   the full-page screenshot: distinct colours and the
//                            share of pixels that differ from the background colour
//   section <h2 text>        every section heading
//   metrics <cells|...>      each row of the server-side metrics table
//   bypass_request <url>     requests made by a second load with the page's CSP bypassed
//                            (a URL that slipped into the page shows up here)
//
// Usage: node --experimental-websocket html_check.mjs DEVTOOLS_ACTIVE_PORT_FILE PAGE.html
//        SCREENSHOT.png [TIMEOUT_S]
// Exit 0 when the facts were collected (the caller judges them), 3 on a protocol failure.
import { Cdp, openPage } from './cdp.mjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateSync } from 'node:zlib';

const [portFile, pagePath, shotPath, timeoutArg] = process.argv.slice(2);
if (!portFile || !pagePath || !shotPath) {
    console.error('usage: html_check.mjs DEVTOOLS_ACTIVE_PORT_FILE PAGE.html SCREENSHOT.png ' +
                  '[TIMEOUT_S]');
    process.exit(2);
}
const timeoutMs = 1000 * Number(timeoutArg || 20);
setTimeout(() => {
    console.error(`html_check: timed out after ${timeoutMs / 1000}s`);
    process.exit(3);
}, timeoutMs).unref();

const VIEWPORT = { width: 1280, height: 900 };


// The browser's WebSocket URL from the DevToolsActivePort file (port, then path).
function browserUrl(file) {
    const [port, path] = readFileSync(file, 'utf8').split('\n');
    return `ws://127.0.0.1:${port.trim()}${path.trim()}`;
}

// Opens a fresh tab, records its requests and console, loads url; returns the session.

// Runs fn's source in the page and returns its JSON result.
async function evaluate(cdp, sessionId, fn) {
    const r = await cdp.send('Runtime.evaluate',
                             { expression: `(${fn})()`, returnByValue: true }, sessionId);
    if (r.exceptionDetails) throw new Error(`evaluate: ${r.exceptionDetails.text}`);
    return r.result.value;
}

// In the page: the charts, headings and metrics rows, in document coordinates.
function pageFacts() {
    const data = (svg) => {
        const colours = new Set();
        for (const p of svg.querySelectorAll('path[stroke]')) colours.add(p.getAttribute('stroke'));
        for (const r of svg.querySelectorAll('rect')) {
            if (r.querySelector('title')) colours.add(r.getAttribute('fill'));
        }
        return [...colours];
    };
    const svgs = [...document.querySelectorAll('svg')];
    return {
        svg: svgs.length,
        rendered: svgs.filter((s) => {
            const b = s.getBoundingClientRect();
            return b.width > 0 && b.height > 0 && s.childElementCount > 0;
        }).length,
        charts: svgs.map((s) => {
            const b = s.getBoundingClientRect();
            return {
                title: s.getAttribute('aria-label') || '',
                x: b.left + scrollX, y: b.top + scrollY, w: b.width, h: b.height,
                viewW: s.viewBox.baseVal ? s.viewBox.baseVal.width : b.width,
                colours: data(s),
            };
        }),
        sections: [...document.querySelectorAll('h2')].map((h) => h.textContent),
        metrics: [...document.querySelectorAll('table.metrics tbody tr')].map(
            (tr) => [...tr.cells].map((td) => td.textContent.trim()).join('|')),
        width: document.documentElement.scrollWidth,
        height: document.documentElement.scrollHeight,
    };
}

// Decodes an 8-bit, non-interlaced RGB or RGBA PNG into {width, height, rgba}.
function decodePng(buf) {
    let pos = 8, width = 0, height = 0, type = 0;
    const idat = [];
    while (pos < buf.length) {
        const len = buf.readUInt32BE(pos), kind = buf.toString('ascii', pos + 4, pos + 8);
        const body = buf.subarray(pos + 8, pos + 8 + len);
        if (kind === 'IHDR') {
            width = body.readUInt32BE(0);
            height = body.readUInt32BE(4);
            type = body[9];
            if (body[8] !== 8 || (type !== 2 && type !== 6) || body[12] !== 0)
                throw new Error(`unsupported PNG (depth ${body[8]}, type ${type})`);
        } else if (kind === 'IDAT') {
            idat.push(body);
        }
        pos += 12 + len;
    }
    const raw = inflateSync(Buffer.concat(idat));
    const bpp = type === 6 ? 4 : 3, stride = width * bpp;
    const px = Buffer.alloc(stride * height);
    for (let y = 0; y < height; y++) {
        const f = raw[y * (stride + 1)], src = y * (stride + 1) + 1, dst = y * stride;
        for (let i = 0; i < stride; i++) {
            const a = i >= bpp ? px[dst + i - bpp] : 0;
            const b = y > 0 ? px[dst + i - stride] : 0;
            const c = y > 0 && i >= bpp ? px[dst + i - stride - bpp] : 0;
            let v = raw[src + i];
            if (f === 1) v += a;
            else if (f === 2) v += b;
            else if (f === 3) v += (a + b) >> 1;
            else if (f === 4) {
                const p = a + b - c;
                const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
                v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            }
            px[dst + i] = v & 0xff;
        }
    }
    const rgba = Buffer.alloc(width * height * 4, 255);
    for (let i = 0; i < width * height; i++) px.copy(rgba, i * 4, i * bpp, i * bpp + 3);
    return { width, height, rgba };
}

function parseColour(css) {
    const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css || '');
    if (!m) return null;
    const h = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1];
    return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
}

// Distinct colours and the share of pixels unlike the most common one in a box.
function inkStats(img, x0, y0, w, h) {
    const counts = new Map();
    const xs = Math.max(0, Math.round(x0)), ys = Math.max(0, Math.round(y0));
    const xe = Math.min(img.width, Math.round(x0 + w));
    const ye = Math.min(img.height, Math.round(y0 + h));
    for (let y = ys; y < ye; y++) {
        for (let x = xs; x < xe; x++) {
            const i = (y * img.width + x) * 4;
            const key = (img.rgba[i] << 16) | (img.rgba[i + 1] << 8) | img.rgba[i + 2];
            counts.set(key, (counts.get(key) || 0) + 1);
        }
    }
    const total = Math.max(1, (xe - xs) * (ye - ys));
    const background = Math.max(0, ...counts.values());
    return { colours: counts.size, ink: (100 * (total - background)) / total };
}

// Pixels within a small distance of rgb in a box (anti-aliasing blurs edges only).
function pixelsNear(img, rgb, x0, y0, w, h) {
    let n = 0;
    for (let y = Math.max(0, Math.round(y0)); y < Math.min(img.height, y0 + h); y++) {
        for (let x = Math.max(0, Math.round(x0)); x < Math.min(img.width, x0 + w); x++) {
            const i = (y * img.width + x) * 4;
            if (Math.abs(img.rgba[i] - rgb[0]) <= 24 && Math.abs(img.rgba[i + 1] - rgb[1]) <= 24 &&
                Math.abs(img.rgba[i + 2] - rgb[2]) <= 24)
                n++;
        }
    }
    return n;
}

async function main() {
    const url = pathToFileURL(resolve(pagePath)).href;
    const cdp = new Cdp(browserUrl(portFile));
    await cdp.opened;
    const { sessionId, seen } = await openPage(cdp, url, VIEWPORT);
    const facts = await evaluate(cdp, sessionId, pageFacts);
    const shot = await cdp.send('Page.captureScreenshot', {
        format: 'png', captureBeyondViewport: true,
        clip: { x: 0, y: 0, width: facts.width, height: facts.height, scale: 1 },
    }, sessionId);
    const png = Buffer.from(shot.data, 'base64');
    writeFileSync(shotPath, png);
    const img = decodePng(png);
    // The second load drops the page's CSP: anything the page would fetch is requested.
    const bypass = await openPage(cdp, url, { ...VIEWPORT, bypassCsp: true });
    // Let anything lazy (images, fonts) start before counting.
    await new Promise((ok) => setTimeout(ok, 300));

    const out = [];
    for (const r of seen.requests) out.push(`request ${r}`);
    for (const c of seen.console) out.push(`console ${c}`);
    out.push(`svg ${facts.svg} ${facts.rendered}`);
    facts.charts.forEach((c, i) => {
        const s = inkStats(img, c.x, c.y, c.w, c.h);
        // Below the title and legend (44 of the chart's units): the plot itself.
        const top = (44 * c.w) / (c.viewW || c.w);
        const drawn = c.colours.filter((css) => {
            const rgb = parseColour(css);
            return rgb && pixelsNear(img, rgb, c.x, c.y + top, c.w, c.h - top) >= 20;
        }).length;
        out.push(`chart ${i + 1} ${Math.round(c.w)}x${Math.round(c.h)} colours=${s.colours} ` +
                 `drawn=${drawn}/${c.colours.length} title=${c.title}`);
    });
    const p = inkStats(img, 0, 0, img.width, img.height);
    out.push(`page ${img.width}x${img.height} colours=${p.colours} ink=${p.ink.toFixed(1)}`);
    for (const s of facts.sections) out.push(`section ${s}`);
    for (const m of facts.metrics) out.push(`metrics ${m}`);
    for (const r of bypass.seen.requests) out.push(`bypass_request ${r}`);
    for (const c of bypass.seen.console) out.push(`bypass_console ${c}`);
    console.log(out.join('\n'));
    process.exit(0);
}

main().catch((e) => {
    console.error(`html_check: ${e.message}`);
    process.exit(3);
});
