// Shared pieces of the browser tests: build the bundled site, serve it under a /repo/ prefix (as
// GitHub Pages serves a project site), and open it in the system's headless Chromium with
// everything a page does recorded (requests, console errors, CSP violations, uncaught errors).
//
// Kept apart from the tests so that later checks (axe-core, a network audit) can reuse the same
// site, server and browser: `reader.page` is a Playwright page, `reader.log` what it did.

import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

/** The repository root (this file is tests/browser/harness.mjs). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The URL path the site is served under. */
export const PREFIX = '/repo/';

/** The ruzshomar binary: $RUZSHOMAR_BIN (relative paths are taken from the repository root). */
export const RUZSHOMAR_BIN = path.resolve(REPO, process.env.RUZSHOMAR_BIN || 'target/debug/ruzshomar');

/** Chromium: $CHROMIUM_BIN, else Debian's /usr/bin/chromium. Never downloaded. */
export const CHROMIUM_BIN = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A phone-sized reader; screenshots are taken at this width. */
export const VIEWPORT = { width: 390, height: 844 };

/** A desktop reader. */
export const DESKTOP = { width: 1280, height: 900 };

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.csv': 'text/csv; charset=utf-8',
  '.gz': 'application/gzip',
  '.txt': 'text/plain; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/** The Content-Type the server sends for a file name. */
export function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/** A fixed "today" (the Rust tests' TODAY): the same site is built on any day. */
const TODAY = '2026-11-22';

/** Runs a command; resolves with its output, rejects (with the output) on failure or timeout. */
function run(cmd, args, { timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, RUZSHOMAR_TODAY: TODAY };
    const child = spawn(cmd, args, { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} failed (${signal || `exit ${code}`}):\n${out}`));
    });
  });
}

/**
 * A tiny static server for `root` under PREFIX: `/repo/x/` serves `x/index.html`, `/repo/x`
 * where x is a directory redirects to `/repo/x/`, a missing file under the prefix gets the site's
 * 404.html with status 404 (as GitHub Pages does), anything outside the prefix a bare 404.
 * Every request it answers is appended to `served` as {method, path, status}.
 * `prefix` (PREFIX unless given) is the path the site is served under: it starts and ends with
 * `/`, and is compared with the decoded request path (so it holds no `%`).
 */
export function createStaticServer(getRoot, prefix = PREFIX) {
  const served = [];
  const server = http.createServer(async (req, res) => {
    const send = (status, headers, body) => {
      served.push({ method: req.method, path: req.url, status });
      res.writeHead(status, { 'Cache-Control': 'no-store', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain' }, 'method not allowed\n');
      }
      let pathname;
      try {
        pathname = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
      } catch {
        return send(400, { 'Content-Type': 'text/plain' }, 'bad request\n');
      }
      if (!pathname.startsWith(prefix)) {
        return send(404, { 'Content-Type': 'text/plain' }, 'not found (outside the site prefix)\n');
      }
      const root = getRoot();
      let rel = pathname.slice(prefix.length);
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      const file = path.resolve(root, rel);
      if (file !== root && !file.startsWith(root + path.sep)) {
        return send(404, { 'Content-Type': 'text/plain' }, 'not found\n');
      }
      const info = await stat(file).catch(() => null);
      if (info && info.isDirectory()) {
        return send(301, { Location: pathname + '/' }, '');
      }
      if (!info || !info.isFile()) {
        const notFound = await readFile(path.join(root, '404.html')).catch(() => null);
        return notFound
          ? send(404, { 'Content-Type': TYPES['.html'] }, notFound)
          : send(404, { 'Content-Type': 'text/plain' }, 'not found\n');
      }
      const body = await readFile(file);
      return send(200, { 'Content-Type': contentType(file), 'Content-Length': body.length }, body);
    } catch (e) {
      return send(500, { 'Content-Type': 'text/plain' }, `server error: ${e.message}\n`);
    }
  });
  return { server, served };
}

/** Runs the ruzshomar binary (RUZSHOMAR_BIN) with `args`, with today fixed at TODAY. */
export function ruzshomar(args, options) {
  return run(RUZSHOMAR_BIN, args, options);
}

/**
 * Starts the server on a free port of 127.0.0.1, then builds the site at `siteRoot` (the
 * bundled site, the repository, unless given) with `--base-url http://127.0.0.1:<port><prefix>`
 * (prefix: PREFIX unless given) into a fresh temporary directory.
 * Returns {origin, base, prefix, root, served, close}; `close` stops the server and removes the files.
 */
export async function startSite({ extraBuildArgs = [], siteRoot = REPO, prefix = PREFIX } = {}) {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ruzshomar-browser-'));
  const root = path.join(tmp, 'site');
  const { server, served } = createStaticServer(() => root, prefix);
  const close = async () => {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(() => resolve()));
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address();
    const origin = `http://127.0.0.1:${port}`;
    const base = `${origin}${prefix}`;
    await stat(RUZSHOMAR_BIN).catch(() => {
      throw new Error(`no ruzshomar binary at ${RUZSHOMAR_BIN}: run \`cargo build\` or set RUZSHOMAR_BIN`);
    });
    await ruzshomar(['build', '--root', siteRoot, '--output', root, '--base-url', base, ...extraBuildArgs]);
    return { origin, base, prefix, root, served, close };
  } catch (e) {
    await close().catch(() => {});
    throw e;
  }
}

/** Launches the system Chromium, headless, through playwright-core. */
export async function launchBrowser() {
  await stat(CHROMIUM_BIN).catch(() => {
    throw new Error(`no Chromium at ${CHROMIUM_BIN}: \`apt-get install chromium\` or set CHROMIUM_BIN`);
  });
  return chromium.launch({ executablePath: CHROMIUM_BIN, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A fresh browser context and page at VIEWPORT with everything it does recorded in `log`:
 * requests (every one, from any page of the context), console errors, uncaught page errors,
 * Content-Security-Policy violations (from the `securitypolicyviolation` event, reported
 * through a binding so the page's own CSP cannot interfere), failed requests and HTTP errors.
 * `contextOptions` are passed to `browser.newContext` (viewport, colorScheme, javaScriptEnabled…).
 * (Chromium's own /favicon.ico request is not a page request: it shows only as a console error
 * and in the server's `served` list.)
 */
export async function openReader(browser, contextOptions = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-GB', ...contextOptions });
  const log = { requests: [], consoleErrors: [], pageErrors: [], cspViolations: [], failed: [], httpErrors: [] };
  context.on('request', (r) => log.requests.push({ url: r.url(), method: r.method(), type: r.resourceType(), from: r.frame()?.url?.() ?? '' }));
  context.on('requestfailed', (r) => log.failed.push({ url: r.url(), error: r.failure()?.errorText }));
  context.on('response', (r) => {
    if (r.status() >= 400) log.httpErrors.push({ url: r.url(), status: r.status() });
  });
  await context.exposeBinding('__ruzshomarCspViolation', ({ frame }, v) => log.cspViolations.push({ page: frame.url(), ...v }));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      globalThis.__ruzshomarCspViolation({
        directive: e.effectiveDirective || e.violatedDirective,
        blocked: e.blockedURI,
        source: `${e.sourceFile}:${e.lineNumber}`,
      });
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.setDefaultNavigationTimeout(20_000);
  page.on('console', (m) => {
    if (m.type() === 'error') log.consoleErrors.push({ page: page.url(), text: m.text(), at: m.location()?.url });
  });
  page.on('pageerror', (e) => log.pageErrors.push({ page: page.url(), error: String(e) }));
  return { context, page, log };
}

/** Requests in `log` that go anywhere but `origin` (data: and blob: URLs stay in the page). */
export function foreignRequests(log, origin) {
  return log.requests.filter((r) => {
    const u = new URL(r.url);
    if (u.protocol === 'data:' || u.protocol === 'blob:') return false;
    return u.origin !== origin;
  });
}

/** $SCREENSHOT_DIR, when set: the tests save what they see there. */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ? path.resolve(process.env.SCREENSHOT_DIR) : null;

/** Saves a screenshot of `page` as SCREENSHOT_DIR/<name>.png when SCREENSHOT_DIR is set. */
export async function screenshot(page, name, { fullPage = false } = {}) {
  if (!SCREENSHOT_DIR) return;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage });
}

/** Every file under `root`, as sorted '/'-separated paths relative to it. */
export async function siteFiles(root) {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath ?? e.path, e.name)).split(path.sep).join('/'))
    .sort();
}

/** Whether `rel` (a '/'-separated path relative to `root`) names an existing file. */
export async function fileExists(root, rel) {
  const info = await stat(path.join(root, ...rel.split('/'))).catch(() => null);
  return Boolean(info?.isFile());
}

/** Where the open data files are, from the site's root (src/render/exports.rs, DIR). */
export const EXPORTS_DIR = 'data';

/**
 * The site's open data in one `format` ('json', 'geojson' or 'csv'), as the build wrote it: the
 * manifest `data/index.json` names one gzip file per year (by the events' start dates); each is
 * read from `root` and unpacked. Returns the documents in the manifest's order (by year): parsed
 * JSON for json and geojson, text for csv.
 */
export async function readExports(root, format) {
  const manifest = JSON.parse(await readFile(path.join(root, EXPORTS_DIR, 'index.json'), 'utf8'));
  const docs = [];
  for (const year of manifest.years) {
    const entry = year.files[format];
    if (!entry) throw new Error(`data/index.json: no ${format} file for ${year.year}`);
    const packed = await readFile(path.join(root, EXPORTS_DIR, entry.file));
    if (packed.length !== entry.bytes) throw new Error(`${entry.file}: ${packed.length} bytes, the manifest says ${entry.bytes}`);
    const text = gunzipSync(packed).toString('utf8');
    docs.push(format === 'csv' ? text : JSON.parse(text));
  }
  return docs;
}

/** Every located GeoJSON feature of the site's open data (all years), in order. */
export async function exportedFeatures(root) {
  return (await readExports(root, 'geojson')).flatMap((doc) => doc.features);
}

/**
 * A UI string of the theme (`key` in themes/default/i18n/<lang>.toml), with `{n}` filled in (in
 * Persian digits for fa), as the pages show it.
 */
export async function uiText(lang, key, n) {
  const toml = await readFile(path.join(REPO, 'themes', 'default', 'i18n', `${lang}.toml`), 'utf8');
  const m = toml.match(new RegExp(`^${key} = "(.*)"$`, 'm'));
  if (!m) throw new Error(`themes/default/i18n/${lang}.toml has no ${key}`);
  const digits = (x) => (lang === 'fa' ? String(x).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]) : String(x));
  return m[1].replace('{n}', digits(n));
}

/** Everything that went wrong in `log` (see openReader), as readable lines; [] when all is well. */
export function problems(log) {
  return [
    ...log.consoleErrors.map((e) => `console error on ${e.page}: ${e.text}${e.at ? ` (${e.at})` : ''}`),
    ...log.pageErrors.map((e) => `uncaught error on ${e.page}: ${e.error}`),
    ...log.cspViolations.map((v) => `CSP violation on ${v.page}: ${v.directive} blocked ${v.blocked} at ${v.source}`),
    ...log.failed.map((r) => `failed request: ${r.url} (${r.error})`),
    ...log.httpErrors.map((r) => `HTTP ${r.status}: ${r.url}`),
  ];
}
