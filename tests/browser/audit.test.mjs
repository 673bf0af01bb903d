// Audits of the built site, served under /repo/ in headless Chromium:
//
// 1. The network: one page of every page type of the built site (the types come from the files
//    the build wrote, so a new kind of page cannot be skipped silently), in both editions, with
//    the map's popup opened so that its per-place script loads; every request stays on the site's
//    origin, none fails, and no page logs an error or violates its Content-Security-Policy.
//    The search page is visited with words and a filter: its index loads, and no other page
//    loads any of the search's files.
// 2. Accessibility: axe-core (WCAG 2.0 and 2.1, levels A and AA) on the home, timeline, day,
//    event, city, map and search pages (with results and filters), in English and Persian, at
//    desktop and phone widths, in light and dark colour schemes; no violation is allowed.
//
//   RUZSHOMAR_BIN=target/debug/ruzshomar node --test tests/browser/audit.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import {
  DESKTOP, PREFIX, VIEWPORT,
  fileExists, foreignRequests, launchBrowser, openReader, problems, siteFiles, startSite,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const EDITIONS = [{ lang: 'en', home: '' }, { lang: 'fa', home: 'fa/' }];

/**
 * The type of a page from its path without the edition prefix: the first folder, then `*` for
 * each folder below it, then the file name. `cities/lordegan/index.html` → `cities/*\/index.html`,
 * `publishers/index.html` → itself, `index.html` → itself. A redirect page (an event's old id)
 * is its own type: `redirect:events/*\/index.html`.
 */
function pageType(rel, isRedirect) {
  const segs = rel.split('/');
  const type = segs.length === 1 ? segs[0] : [segs[0], ...segs.slice(1, -1).map(() => '*'), segs.at(-1)].join('/');
  return isRedirect ? `redirect:${type}` : type;
}

/** The edition of a path and the path within it. */
function editionOf(rel) {
  return rel.startsWith('fa/') ? { lang: 'fa', home: 'fa/', inner: rel.slice(3) } : { lang: 'en', home: '', inner: rel };
}

/**
 * Every HTML page of the built site grouped by edition and type, with the biggest page of each
 * type (the most content: the likeliest to show a problem) as its representative.
 * Returns Map<`lang type`, {lang, type, rel, count}>.
 */
async function pageTypes(root) {
  const types = new Map();
  for (const rel of (await siteFiles(root)).filter((f) => f.endsWith('.html'))) {
    const html = await readFile(path.join(root, rel), 'utf8');
    const isRedirect = /<meta[^>]+http-equiv=["']?refresh/i.test(html);
    const { lang, inner } = editionOf(rel);
    const type = pageType(inner, isRedirect);
    const key = `${lang} ${type}`;
    const size = (await stat(path.join(root, rel))).size;
    const t = types.get(key);
    if (!t) types.set(key, { lang, type, rel, size, count: 1 });
    else {
      t.count += 1;
      if (size > t.size) Object.assign(t, { rel, size });
    }
  }
  return types;
}

/** The page types every build of the bundled content has (a check that pageTypes finds them). */
const EXPECTED_TYPES = [
  'index.html', 'timeline/*/index.html', 'days/*/index.html', 'events/*/index.html', 'cities/*/index.html',
  'provinces/*/index.html', 'publishers/*/index.html', 'kinds/*/index.html', 'tags/*/index.html',
  'places/index.html', 'publishers/index.html', 'tags/index.html', 'map/index.html', 'years/*/index.html',
  'search/index.html', 'data/index.html',
];

/** The search page is visited with words and a filter, so that its index loads and its results
 * and filters show; the other pages as they are. */
const SEARCH = 'search/index.html';
const SEARCH_QUERY = '?q=tehran&period=uprising-2025';
const searched = (page) => page.waitForFunction(() => document.getElementById('search-results')?.getAttribute('aria-busy') === 'false');

describe('audits of the built site', () => {
  /** @type {Awaited<ReturnType<typeof startSite>>} */
  let site;
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** @type {Map<string, {lang: string, type: string, rel: string, count: number}>} */
  let types;
  const contexts = [];

  before(async () => {
    site = await startSite();
    browser = await launchBrowser();
    types = await pageTypes(site.root);
  }, { timeout: 300_000 });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await site?.close().catch(() => {});
  });

  /** Opens a mark's popup on the map page (so map/places/<id>.js loads) and waits for it. */
  const openPopup = async (page) => {
    const mark = page.locator('#map .mark').first();
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    await mark.focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#map-popup:not([hidden]) .mp-events > li', { state: 'visible' });
    // The popup fades in (0.16 s): measured mid-fade its text is paler than it will be, and
    // axe reported a contrast it does not have.
    await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  };

  test('the page types are found in the built site', () => {
    const found = [...types.values()].map((t) => `${t.lang} ${t.type} (${t.count}, e.g. ${t.rel})`);
    for (const { lang } of EDITIONS) {
      for (const type of EXPECTED_TYPES) assert.ok(types.has(`${lang} ${type}`), `no ${lang} page of type ${type} among:\n${found.join('\n')}`);
    }
    assert.ok(types.has('en 404.html'), 'the site has a 404.html');
  });

  test('every page in sitemap.xml is of a known type and exists', async () => {
    const xml = await readFile(path.join(site.root, 'sitemap.xml'), 'utf8');
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => m[1]);
    assert.ok(locs.length > 0, 'sitemap.xml lists pages');
    const unknown = [];
    for (const loc of locs) {
      assert.ok(loc.startsWith(site.base), `${loc} is under ${site.base}`);
      let rel = decodeURIComponent(loc.slice(site.base.length));
      if (rel === '' || rel.endsWith('/')) rel += 'index.html';
      assert.ok(await fileExists(site.root, rel), `${loc}: ${rel} exists`);
      const { lang, inner } = editionOf(rel);
      if (!types.has(`${lang} ${pageType(inner, false)}`)) unknown.push(loc);
    }
    assert.deepEqual(unknown, [], 'sitemap pages of a type the audit does not know');
  });

  for (const edition of EDITIONS) {
    test(`network audit (${edition.lang}): one page of every type asks only the site, and nothing fails`, { timeout: 180_000 }, async (t) => {
      const { context, page, log } = await openReader(browser, { viewport: DESKTOP });
      contexts.push(context);
      const visits = [...types.values()].filter((x) => x.lang === edition.lang && x.type !== '404.html');
      // The 404 page as a reader meets it: at a missing address (its links are absolute).
      visits.push({ type: '404.html', missing: `${edition.home}no/such/page/` });
      const visited = new Set();
      const issues = [];
      const servedBefore = site.served.length;
      for (const v of visits) {
        const url = `${site.base}${v.missing ?? v.rel}${v.type === SEARCH ? SEARCH_QUERY : ''}`;
        const mark = { c: log.consoleErrors.length, p: log.pageErrors.length, v: log.cspViolations.length, f: log.failed.length, h: log.httpErrors.length, r: log.requests.length };
        const response = await page.goto(url);
        const status = response?.status();
        if (v.type.startsWith('redirect:')) {
          await page.waitForURL((u) => u.href !== url);
        } else {
          assert.equal(status, v.missing ? 404 : 200, `${url}: status`);
          assert.ok(await page.locator('main h1').isVisible(), `${url}: a heading`);
          assert.notEqual(await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--bg').trim()), '', `${url}: the stylesheet applies (--bg is set)`);
        }
        if (v.type === 'map/index.html') {
          await openPopup(page);
          assert.ok(log.requests.slice(mark.r).some((r) => /\/map\/places\/[^/]+\.js$/.test(r.url)), `${url}: the popup loads the place’s script`);
        }
        if (v.type === SEARCH) {
          await searched(page);
          for (const part of ['search/words/', 'search/results/', 'search/facets.js']) {
            assert.ok(log.requests.slice(mark.r).some((r) => r.url.includes(`${edition.home}${part}`)), `${url}: the search loads ${part}`);
          }
        } else {
          // Only the search page loads the search's script, styles and index.
          issues.push(...log.requests.slice(mark.r).filter((r) => /\/search(\/|\.js|\.css)/.test(new URL(r.url).pathname)).map((r) => `${v.type} (${url}): loads ${r.url}`));
        }
        visited.add(v.type);
        // What this page did; at a missing address the document's own 404 is expected.
        const slice = {
          consoleErrors: log.consoleErrors.slice(mark.c).filter((e) => !(v.missing && /404/.test(e.text) && (e.at ?? url) === url)),
          pageErrors: log.pageErrors.slice(mark.p),
          cspViolations: log.cspViolations.slice(mark.v),
          failed: log.failed.slice(mark.f),
          httpErrors: log.httpErrors.slice(mark.h).filter((e) => !(v.missing && e.url === url)),
        };
        const requests = log.requests.slice(mark.r);
        issues.push(...problems(slice).map((p) => `${v.type} (${url}): ${p}`));
        issues.push(...foreignRequests({ requests }, site.origin).map((r) => `${v.type} (${url}): request to another origin: ${r.url}`));
        issues.push(...requests.filter((r) => !new URL(r.url).pathname.startsWith(PREFIX) && r.url.startsWith(site.origin)).map((r) => `${v.type}: request outside ${PREFIX}: ${r.url}`));
        assert.ok(requests.some((r) => r.url === `${site.base}style.css`), `${url}: loads ${site.base}style.css`);
        t.diagnostic(`${v.type}: ${url.slice(site.origin.length)} — ${requests.length} requests`);
      }
      const outside = site.served.slice(servedBefore).filter((r) => !r.path.startsWith(PREFIX));
      issues.push(...outside.map((r) => `the browser asked the server for ${r.path}, outside ${PREFIX}`));
      assert.deepEqual(issues, [], `network audit (${edition.lang})`);
      const all = new Set([...types.values()].filter((x) => x.lang === edition.lang).map((x) => x.type));
      assert.deepEqual([...all].filter((x) => !visited.has(x)), [], 'page types not visited');
      t.diagnostic(`visited ${visited.size} page types; ${log.requests.length} requests, all to ${site.base}`);
      await context.close();
    });
  }

  /** The pages axe checks at every width, per edition: the biggest of each of these types. */
  const AXE_PAGES = ['index.html', 'timeline/*/index.html', 'days/*/index.html', 'events/*/index.html', 'cities/*/index.html', 'map/index.html', SEARCH];

  for (const [width, viewport] of [['desktop', DESKTOP], ['phone', VIEWPORT]]) {
    for (const colorScheme of ['light', 'dark']) {
      // At desktop width, every other page type as well (the 404 page at a missing address).
      const what = width === 'desktop' ? 'every page type' : AXE_PAGES.map((p) => p.split('/')[0].replace('.html', '')).join(', ');
      test(`axe-core (WCAG 2.1 A and AA), ${width}, ${colorScheme}: no violations on ${what}, in either edition`, { timeout: 180_000 }, async (t) => {
        // axe-core is injected as an inline <script>, which the pages' Content-Security-Policy
        // (script-src 'self') rightly refuses: this context alone bypasses the CSP. The network
        // audit above runs with the CSP in force.
        const { context, page, log } = await openReader(browser, { viewport, colorScheme, bypassCSP: true });
        contexts.push(context);
        const report = [];
        for (const { lang, home } of EDITIONS) {
          const others = width === 'desktop'
            ? [...types.values()].filter((x) => x.lang === lang && !AXE_PAGES.includes(x.type) && !x.type.startsWith('redirect:')).map((x) => x.type)
            : [];
          for (const type of [...AXE_PAGES, ...others]) {
            const entry = type === '404.html' ? { rel: `${home}no/such/page/` } : types.get(`${lang} ${type}`);
            assert.ok(entry, `a ${lang} page of type ${type}`);
            const url = `${site.base}${entry.rel}${type === SEARCH ? SEARCH_QUERY : ''}`;
            await page.goto(url);
            if (type === 'map/index.html') await openPopup(page);
            if (type === SEARCH) await searched(page);
            await page.addScriptTag({ content: AXE_SOURCE });
            const violations = await page.evaluate(async (tags) => {
              // eslint-disable-next-line no-undef
              const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return result.violations.map((v) => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map((n) => `${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`),
              }));
            }, AXE_TAGS);
            for (const v of violations) {
              report.push(`${lang} ${entry.rel}: ${v.id} (${v.impact}): ${v.help}\n${v.nodes.slice(0, 8).map((n) => `    ${n}`).join('\n')}${v.nodes.length > 8 ? `\n    … and ${v.nodes.length - 8} more` : ''}`);
            }
            t.diagnostic(`${lang} ${entry.rel}: ${violations.length} violation(s)`);
          }
        }
        assert.equal(report.length, 0, `axe-core violations (${width}, ${colorScheme}):\n${report.join('\n')}`);
        assert.deepEqual(log.pageErrors, [], 'uncaught errors');
        await context.close();
      });
    }
  }
});
