// The two editions when some events have no Persian text, in headless Chromium. The Persian
// edition (/fa/) has a page only for the events with Persian text (`translations.fa`); its lists
// show only those, and say how many more there are with one link to the same list in English.
// The bundled content is fully translated, so this test builds a small site of its own: the
// repository's site.toml, data/ and themes/ with the four events of EVENTS, two of them in
// English only, served under /repo/.
//
// Checked: the English-only events have no Persian page (and the sitemap names none); the
// Persian day and city pages show the notice with the right count, linking the English list,
// which lists the event; the language switch of an English-only event page leads to the Persian
// page of its day; event pages announce another language (`<link rel="alternate" hreflang>`) only
// when the page exists in it; the Persian map popup links the English page of an English-only
// event, marked `lang="en"`; no link of any page of either edition is broken; and axe-core finds
// no WCAG 2.1 A or AA violation on the pages with the notice (which the bundled content never
// shows) or on an English-only event page.
//
//   RUZSHOMAR_BIN=target/debug/ruzshomar node --test tests/browser/editions.test.mjs
//
// SCREENSHOT_DIR, when set, receives the Persian day and city pages with the notice at 390 and
// 1280 px.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  DESKTOP, PREFIX, REPO, VIEWPORT,
  fileExists, foreignRequests, launchBrowser, openReader, problems, screenshot, siteFiles, startSite, uiText,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const CITY = 'lordegan';
const DAY = '2026-01-10';

/** The site's events: `fa` is the Persian title and summary (none: English only). */
const EVENTS = [
  { id: `${DAY}-rally-translated`, date: DAY, city: CITY, title: 'Rally in Lordegan (translated)', fa: 'تجمع در لردگان' },
  { id: `${DAY}-strike-english-only`, date: DAY, city: CITY, title: 'Strike in Lordegan (English only)' },
  { id: '2026-01-11-march-english-only', date: '2026-01-11', city: CITY, title: 'March in Lordegan (English only)' },
  { id: '2026-01-11-sit-in-translated', date: '2026-01-11', city: 'shahrekord', title: 'Sit-in in Shahrekord (translated)', fa: 'تحصن در شهرکرد' },
];
const ENGLISH_ONLY = EVENTS.filter((e) => !e.fa);
/** The English-only event the tests follow. */
const STRIKE = EVENTS[1];

const q = (s) => JSON.stringify(s); // a YAML double-quoted scalar

function eventYaml(e, n) {
  const lines = [
    `title: ${q(e.title)}`,
    `date: ${e.date}`,
    `city: ${e.city}`,
    'kind: protest',
    `summary: ${q(`What happened: ${e.title}.`)}`,
    'sources:',
    `  - url: ${q(`https://www.ncr-iran.org/en/?p=${900000 + n}`)}`,
    `    title: ${q(`A report: ${e.title}`)}`,
    '    publisher: ncri',
    `    published: ${e.date}`,
  ];
  if (e.fa) lines.push('translations:', '  fa:', `    title: ${q(e.fa)}`, `    summary: ${q(`آنچه رخ داد: ${e.fa}.`)}`);
  return `${lines.join('\n')}\n`;
}

/** "N more events, in English only", as the edition of `lang` says it. */
const moreInEnglish = (lang, n) => uiText(lang, `more_in_default_language_${n === 1 ? 'one' : 'many'}`, n);

const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('the editions when some events are in English only', () => {
  /** @type {Awaited<ReturnType<typeof startSite>>} */
  let site;
  /** @type {import('playwright-core').Browser} */
  let browser;
  let dir;
  let files = [];
  const contexts = [];

  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ruzshomar-editions-'));
    for (const item of ['data', 'themes']) await cp(path.join(REPO, item), path.join(dir, item), { recursive: true });
    await cp(path.join(REPO, 'site.toml'), path.join(dir, 'site.toml'));
    for (const [n, e] of EVENTS.entries()) {
      const folder = path.join(dir, 'content', 'events', e.date.slice(0, 4), e.date.slice(5, 7));
      await mkdir(folder, { recursive: true });
      await writeFile(path.join(folder, `${e.id}.yaml`), eventYaml(e, n));
    }
    site = await startSite({ siteRoot: dir });
    browser = await launchBrowser();
    files = await siteFiles(site.root);
  }, { timeout: 300_000 });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await site?.close().catch(() => {});
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A fresh recorded reader (see openReader). */
  const reader = async (options) => {
    const r = await openReader(browser, options);
    contexts.push(r.context);
    return r;
  };

  /** Opens `rel` (a path under the site) and checks that it is there. */
  const open = async (page, rel) => {
    const response = await page.goto(`${site.base}${rel}`);
    assert.equal(response?.status(), 200, `${rel}: status`);
    assert.ok(await page.locator('main h1').isVisible(), `${rel}: a heading`);
  };

  /** Nothing went wrong and nothing left the site. */
  const assertClean = (log, what) => {
    assert.deepEqual(problems(log), [], `${what}: errors`);
    assert.deepEqual(foreignRequests(log, site.origin).map((r) => r.url), [], `${what}: requests to another origin`);
  };

  /** The event links of `main` as [title, address]. */
  const eventLinks = (page) => page.$$eval('main a[href*="events/"]', (as) => as.map((a) => [a.textContent.trim(), a.href]));

  test('an event in English only has no Persian page; a translated one has both', async () => {
    for (const e of EVENTS) {
      assert.ok(files.includes(`events/${e.id}/index.html`), `${e.id} has an English page`);
      assert.equal(files.includes(`fa/events/${e.id}/index.html`), Boolean(e.fa), `${e.id} ${e.fa ? 'has' : 'has no'} Persian page`);
    }
    const sitemap = await readFile(path.join(site.root, 'sitemap.xml'), 'utf8');
    for (const e of ENGLISH_ONLY) assert.ok(!sitemap.includes(`fa/events/${e.id}/`), `the sitemap names no Persian page of ${e.id}`);
    // Only the translated events are in the Persian feed.
    const feed = await readFile(path.join(site.root, 'fa', 'feed.xml'), 'utf8');
    const entries = [...feed.matchAll(/<entry>[\s\S]*?<title[^>]*>([^<]*)<\/title>/g)].map((m) => m[1]);
    assert.deepEqual(entries.sort(), EVENTS.filter((e) => e.fa).map((e) => e.fa).sort(), 'the Persian feed’s entries');
  });

  for (const list of [
    { name: 'day', rel: `days/${DAY}/index.html`, events: EVENTS.filter((e) => e.date === DAY) },
    { name: 'city', rel: `cities/${CITY}/index.html`, events: EVENTS.filter((e) => e.city === CITY) },
  ]) {
    test(`the Persian ${list.name} page lists the translated events and links the English one for the rest`, async () => {
      const { page, log } = await reader({ viewport: DESKTOP });
      const hidden = list.events.filter((e) => !e.fa);
      assert.ok(hidden.includes(STRIKE), `the ${list.name} has the English-only event`);
      await open(page, `fa/${list.rel}`);
      const listed = await eventLinks(page);
      for (const e of list.events) {
        if (e.fa) assert.ok(listed.some(([title, href]) => title === e.fa && href === `${site.base}fa/events/${e.id}/index.html`), `fa/${list.rel} lists ${e.id} in Persian`);
        else assert.ok(!listed.some(([title, href]) => title === e.title || href.includes(e.id)), `fa/${list.rel} does not list ${e.id}`);
      }
      const notice = page.locator('main p.notice.elsewhere a');
      assert.equal(await notice.count(), 1, `fa/${list.rel}: one notice of the English-only events`);
      assert.equal(squash(await notice.textContent()), await moreInEnglish('fa', hidden.length), `fa/${list.rel}: the notice counts ${hidden.length}`);
      assert.equal(await notice.getAttribute('hreflang'), 'en', 'the notice’s link says its page is in English');
      assert.ok(await notice.isVisible(), 'the notice is visible');

      for (const [width, viewport] of [['phone', VIEWPORT], ['desktop', DESKTOP]]) {
        await page.setViewportSize(viewport);
        await screenshot(page, `editions-fa-${list.name}-${width}`, { fullPage: true });
      }
      await page.setViewportSize(DESKTOP);

      // The reader follows it to the same list in English, which has the English-only events.
      const target = `${site.base}${list.rel}`;
      await Promise.all([page.waitForURL(target), notice.click()]);
      assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the notice leads to the English edition');
      const english = await eventLinks(page);
      for (const e of list.events) {
        assert.ok(english.some(([title, href]) => title === e.title && href === `${site.base}events/${e.id}/index.html`), `${list.rel} lists ${e.id}`);
      }
      assert.equal(await page.locator('main p.notice.elsewhere').count(), 0, 'the English list has no such notice');
      assertClean(log, `the ${list.name} pages`);
    });
  }

  test('axe-core (WCAG 2.1 A and AA): no violations on the Persian pages with the notice, and the English-only event page', { timeout: 120_000 }, async (t) => {
    const report = [];
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', VIEWPORT]]) {
      for (const colorScheme of ['light', 'dark']) {
        // axe-core is injected as an inline script, which the pages' CSP refuses: bypassed here only.
        const { page } = await reader({ viewport, colorScheme, bypassCSP: true });
        for (const rel of [`fa/days/${DAY}/index.html`, `fa/cities/${CITY}/index.html`, `events/${STRIKE.id}/index.html`]) {
          await open(page, rel);
          await page.addScriptTag({ content: AXE_SOURCE });
          const violations = await page.evaluate(async (tags) => {
            // eslint-disable-next-line no-undef
            const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
          }, AXE_TAGS);
          report.push(...violations.map((v) => `${rel} (${width}, ${colorScheme}): ${v}`));
          t.diagnostic(`${rel} (${width}, ${colorScheme}): ${violations.length} violation(s)`);
        }
      }
    }
    assert.deepEqual(report, [], 'axe-core violations');
  });

  test('the language switch of an English-only event page leads to the Persian page of its day', async () => {
    const { page, log } = await reader();
    await open(page, `events/${STRIKE.id}/index.html`);
    assert.equal(squash(await page.locator('main h1').innerText()), STRIKE.title);
    // No Persian page to announce: no hreflang alternates.
    assert.deepEqual(await page.$$eval('link[rel=alternate][hreflang]', (ls) => ls.map((l) => l.hreflang)), [], 'an English-only page has no hreflang alternates');
    const toPersian = page.locator('header nav li.lang a[hreflang="fa"]');
    assert.equal(await toPersian.count(), 1, 'the page has a language switch to Persian');
    await Promise.all([page.waitForURL(`${site.base}fa/days/${STRIKE.date}/index.html`), toPersian.click()]);
    assert.equal(await page.getAttribute('html', 'lang'), 'fa');
    assert.equal(await page.locator(`main .day-dates time[datetime="${STRIKE.date}"]`).count(), 1, 'the Persian page of the event’s day');
    assert.equal(await page.locator('main p.notice.elsewhere a').count(), 1, 'which says that an event of that day is in English only');
    assertClean(log, 'the language switch');
  });

  test('event pages: alternates only where the page exists, a permanent link, no description or feed in the head', async () => {
    const { page, log } = await reader();
    const translated = EVENTS[0];
    for (const [rel, lang] of [[`events/${translated.id}/index.html`, 'en'], [`fa/events/${translated.id}/index.html`, 'fa'], [`events/${STRIKE.id}/index.html`, 'en']]) {
      await open(page, rel);
      const id = rel.split('/').at(-2);
      const alternates = await page.$$eval('link[rel=alternate][hreflang]', (ls) => ls.map((l) => [l.hreflang, l.href]).sort());
      const expected = id === translated.id
        ? [['en', `${site.base}events/${id}/index.html`], ['fa', `${site.base}fa/events/${id}/index.html`]]
        : [];
      assert.deepEqual(alternates, expected, `${rel}: hreflang alternates`);
      assert.equal(await page.locator('head meta[name=description]').count(), 0, `${rel}: no description`);
      assert.equal(await page.locator('head link[type="application/atom+xml"]').count(), 0, `${rel}: no feed link`);
      const canonical = await page.getAttribute('link[rel=canonical]', 'href');
      assert.equal(canonical, `${site.base}${lang === 'fa' ? 'fa/' : ''}events/${id}/`, `${rel}: the canonical address`);
      const permalink = await page.$$eval('main p.permalink a', (as) => as.map((a) => [a.textContent.trim(), a.getAttribute('href')]));
      assert.deepEqual(permalink, [[await uiText(lang, 'permalink'), canonical]], `${rel}: the permanent link`);
    }
    assertClean(log, 'event pages');
  });

  test('the Persian map popup links the English page of an English-only event, marked lang="en"', async () => {
    const { page, log } = await reader({ viewport: DESKTOP });
    await open(page, 'fa/map/index.html');
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    await page.locator(`#map .mark[data-id="${CITY}"]`).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector('#map-popup:not([hidden]) .mp-events > li', { state: 'visible' });
    assert.ok(log.requests.some((r) => r.url === `${site.base}map/places/${CITY}.js`), 'the popup loads the place file both editions share');
    const links = await page.$$eval('#map-popup a.mp-title', (as) => as.map((a) => ({ text: a.textContent, href: a.href, lang: a.getAttribute('lang') })));
    const expected = EVENTS.filter((e) => e.city === CITY).map((e) => (e.fa
      ? { text: e.fa, href: `${site.base}fa/events/${e.id}/index.html`, lang: null }
      : { text: e.title, href: `${site.base}events/${e.id}/index.html`, lang: 'en' }));
    const byHref = (a, b) => (a.href < b.href ? -1 : 1);
    assert.deepEqual(links.sort(byHref), expected.sort(byHref), 'the popup’s events: Persian pages, or English ones marked lang="en"');
    for (const l of links) assert.ok(await fileExists(site.root, new URL(l.href).pathname.slice(PREFIX.length)), `${l.href} exists`);
    await screenshot(page, 'editions-fa-map-popup');
    // The reader follows the English-only event's link.
    const link = page.locator(`#map-popup a.mp-title[href$="/events/${STRIKE.id}/index.html"]`);
    await Promise.all([page.waitForURL(`${site.base}events/${STRIKE.id}/index.html`), link.click()]);
    assert.equal(squash(await page.locator('main h1').innerText()), STRIKE.title, 'the English page of the event');
    assertClean(log, 'the Persian map');
  });

  for (const lang of ['en', 'fa']) {
    test(`no broken links (${lang}): every address of every page leads to a file of the site`, { timeout: 120_000 }, async (t) => {
      const { page, log } = await reader();
      const pages = files.filter((f) => f.endsWith('.html') && (lang === 'fa') === f.startsWith('fa/'));
      assert.ok(pages.length > 15, `${pages.length} ${lang} pages`);
      const ids = new Map(); // file → the ids in it
      const idsOf = async (rel) => {
        if (!ids.has(rel)) {
          const html = await readFile(path.join(site.root, ...rel.split('/')), 'utf8');
          ids.set(rel, new Set([...html.matchAll(/\sid=(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)].map((m) => m[1] ?? m[2] ?? m[3])));
        }
        return ids.get(rel);
      };
      const broken = [];
      let checked = 0;
      for (const rel of pages) {
        const response = await page.goto(`${site.base}${rel}`);
        if (rel !== '404.html') assert.equal(response?.status(), 200, `${rel}: status`);
        // Every href (HTML and SVG links, stylesheets, images) and src, resolved as the browser does.
        const addresses = await page.$$eval('[href], [src]', (els) => els.flatMap((el) => ['href', 'src']
          .map((name) => el.getAttribute(name))
          .filter((v) => v !== null)
          .map((raw) => ({ raw, url: new URL(raw, document.baseURI).href }))));
        for (const { raw, url } of addresses) {
          const u = new URL(url);
          if (u.protocol === 'data:' || u.origin !== site.origin) continue; // sources elsewhere, licences
          checked += 1;
          if (!u.pathname.startsWith(PREFIX)) { broken.push(`${rel}: ${raw} leaves ${PREFIX}`); continue; }
          let file = decodeURIComponent(u.pathname.slice(PREFIX.length));
          if (file === '' || file.endsWith('/')) file += 'index.html';
          if (!(await fileExists(site.root, file))) { broken.push(`${rel}: ${raw} → ${file}: no such file`); continue; }
          const id = decodeURIComponent(u.hash.slice(1));
          if (id && file.endsWith('.html') && !(await idsOf(file)).has(id)) broken.push(`${rel}: ${raw}: no element #${id} in ${file}`);
        }
      }
      assert.deepEqual(broken, [], `broken links in the ${lang} edition`);
      assertClean(log, `the ${lang} pages`);
      t.diagnostic(`${pages.length} pages, ${checked} addresses on the site`);
    });
  }
});
