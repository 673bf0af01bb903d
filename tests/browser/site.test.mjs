// The browser test: build the bundled site, serve it under /repo/ (a GitHub Pages project path),
// and walk it in headless Chromium the way a reader does — home → timeline → day → event → city →
// event → publisher — in English and in Persian, checking on the way that every page stays under
// /repo/, shows its heading, cites its sources, asks nothing of another origin, logs no error and
// violates no Content-Security-Policy. Also: the server's content types (the open data in
// data/ is a JSON manifest and gzip files), and the Atom feeds of both editions (the current
// feed in full, its RFC 5005 archives in short, every event once; each place's latest 20).
//
//   RUZSHOMAR_BIN=target/debug/ruzshomar node --test tests/browser/     (from the repository root)
//
// Environment: RUZSHOMAR_BIN (default target/debug/ruzshomar, relative to the repository root),
// CHROMIUM_BIN (default /usr/bin/chromium), SCREENSHOT_DIR (if set, a 390 px wide screenshot of
// every step is saved there).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PREFIX, foreignRequests, launchBrowser, openReader, problems, readExports, siteFiles, startSite } from './harness.mjs';

const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ? path.resolve(process.env.SCREENSHOT_DIR) : null;

/** Any Arabic-script letter: the Persian edition's text. */
const PERSIAN = /[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
const PERSIAN_DIGIT = /[۰-۹]/;

const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

describe('the built site, served under /repo/, in headless Chromium', () => {
  /** @type {Awaited<ReturnType<typeof startSite>>} */
  let site;
  /** @type {import('playwright-core').Browser} */
  let browser;
  const contexts = [];

  before(async () => {
    site = await startSite();
    browser = await launchBrowser();
  }, { timeout: 300_000 });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await site?.close().catch(() => {});
  });

  test('the server serves the site under /repo/ and nothing outside it', async () => {
    const get = (p) => fetch(`${site.origin}${p}`, { redirect: 'manual' });
    const expectType = async (p, type) => {
      const r = await get(p);
      assert.equal(r.status, 200, `${p}: status`);
      assert.match(r.headers.get('content-type'), new RegExp(`^${type.replace(/[+/]/g, '\\$&')}\\b`), `${p}: Content-Type`);
      await r.arrayBuffer();
    };
    await expectType(PREFIX, 'text/html');
    await expectType(`${PREFIX}index.html`, 'text/html');
    await expectType(`${PREFIX}fa/`, 'text/html');
    await expectType(`${PREFIX}style.css`, 'text/css');
    // The open data: a manifest, and one gzip file per year and format that it names.
    await expectType(`${PREFIX}data/index.json`, 'application/json');
    await expectType(`${PREFIX}data/index.html`, 'text/html');
    const manifest = await (await get(`${PREFIX}data/index.json`)).json();
    assert.ok(manifest.years.length >= 1, 'data/index.json lists years');
    for (const format of ['json', 'geojson', 'csv']) {
      await expectType(`${PREFIX}data/${manifest.years[0].files[format].file}`, 'application/gzip');
    }
    await expectType(`${PREFIX}feed.xml`, 'application/xml');
    await expectType(`${PREFIX}sitemap.xml`, 'application/xml');
    for (const p of ['/', '/index.html', '/style.css', '/repo', '/repox/index.html']) {
      const r = await get(p);
      assert.equal(r.status, 404, `${p} is outside ${PREFIX}`);
      await r.arrayBuffer();
    }
    const missing = await get(`${PREFIX}no/such/page/`);
    assert.equal(missing.status, 404);
    assert.match(await missing.text(), /<html/, 'a missing page gets the site’s 404.html');
    const dir = await get(`${PREFIX}timeline`);
    assert.equal(dir.status, 301);
    assert.equal(dir.headers.get('location'), `${PREFIX}timeline/`);
  });

  for (const { lang, home } of [{ lang: 'en', home: '' }, { lang: 'fa', home: 'fa/' }]) {
    test(`the ${lang} feeds: the current one in full, its archives in short, every event once; place feeds of 20`, async () => {
      const { context, page, log } = await openReader(browser);
      contexts.push(context);
      const events = (await readExports(site.root, 'json')).flatMap((doc) => doc.events);
      // The site's feed, then each archive it leads to (RFC 5005), opened as the browser shows XML.
      const seen = [];
      let url = `${site.base}${home}feed.xml`;
      for (let n = 0; url; n++) {
        assert.ok(n < 100, 'the archives end');
        const response = await page.goto(url);
        assert.equal(response?.status(), 200, `${url}: status`);
        const feed = await page.evaluate(() => {
          const links = (el, rel) => [...el.children].filter((c) => c.localName === 'link' && c.getAttribute('rel') === rel).map((c) => c.getAttribute('href'));
          // (Chromium shows XML in a viewer of its own: the feed is found by its name.)
          const feeds = document.getElementsByTagName('feed');
          const root = feeds[0];
          if (feeds.length !== 1) return { root: `${feeds.length} feeds`, entries: [] };
          return {
            root: root.localName,
            prev: links(root, 'prev-archive')[0] ?? null,
            current: links(root, 'current')[0] ?? null,
            entries: [...root.getElementsByTagName('entry')].map((e) => {
              const one = (name) => e.getElementsByTagName(name)[0]?.textContent ?? null;
              return { title: one('title'), id: one('id'), link: links(e, 'alternate')[0] ?? null, published: one('published'), updated: one('updated'), content: one('content') };
            }),
          };
        });
        assert.equal(feed.root, 'feed', `${url}: an Atom feed`);
        const archive = n > 0;
        assert.equal(feed.current, archive ? `${site.base}${home}feed.xml` : null, `${url}: ${archive ? 'an archive names' : 'the current feed is'} the current feed`);
        for (const e of feed.entries) {
          assert.ok(e.title && e.published && e.updated, `${url}: ${e.id} has a title and dates`);
          assert.equal(e.link, e.id, `${url}: ${e.id} links its page`);
          assert.match(e.id, new RegExp(`^${site.base.replace(/[.?]/g, '\\$&')}${home}events/[^/]+/$`), `${url}: ${e.id} is an event page`);
          // The current feed in full; the archives in short (title, id, link, dates).
          if (archive) assert.equal(e.content, null, `${url}: ${e.id} has no content (an archive)`);
          else assert.ok(e.content?.length > 0, `${url}: ${e.id} has its content`);
        }
        seen.push(...feed.entries.map((e) => e.id.split('/').at(-2)));
        url = feed.prev;
      }
      assert.deepEqual([...seen].sort(), events.map((e) => e.id).sort(), `the ${lang} feed and its archives hold every event once`);
      // Each place's feed: its latest 20 events, in full.
      const placeFeeds = (await siteFiles(site.root)).filter((f) => new RegExp(`^${home}(cities|provinces)/[^/]+/feed\\.xml$`).test(f));
      assert.ok(placeFeeds.length > 0, 'the places have feeds');
      for (const rel of placeFeeds) {
        const xml = await readFile(path.join(site.root, ...rel.split('/')), 'utf8');
        const entries = xml.split('<entry>').slice(1);
        assert.ok(entries.length >= 1 && entries.length <= 20, `${rel}: ${entries.length} entries (1 to 20)`);
        assert.ok(entries.every((e) => e.includes('<content')), `${rel}: every entry in full`);
        if (rel.startsWith(`${home}cities/`)) {
          const id = rel.split('/').at(-2);
          const n = events.filter((e) => e.scope === 'city' && e.places.some((p) => p.id === id)).length;
          assert.equal(entries.length, Math.min(20, n), `${rel}: the city’s latest events, at most 20`);
        }
      }
      assert.deepEqual(problems(log).filter((p) => !p.includes('/favicon.ico')), [], 'errors');
      await context.close();
    });
  }

  for (const edition of [
    { lang: 'en', dir: 'ltr', start: 'index.html', home: '' },
    { lang: 'fa', dir: 'rtl', start: 'fa/index.html', home: 'fa/' },
  ]) {
    test(`a reader walks the ${edition.lang} edition: timeline → day → event → city → event → publisher`, { timeout: 120_000 }, async (t) => {
      const { context, page, log } = await openReader(browser);
      contexts.push(context);
      const editionRoot = `${site.base}${edition.home}`;
      const servedBefore = site.served.length;
      let step = 0;

      /** Checks the page just reached and saves its screenshot; returns its <h1> text. */
      const arrive = async (name) => {
        step += 1;
        const url = page.url();
        assert.ok(url.startsWith(editionRoot), `${name}: ${url} is not under ${editionRoot}`);
        if (edition.lang === 'en') assert.ok(!url.startsWith(`${site.base}fa/`), `${name}: ${url} left the English edition`);
        const html = page.locator('html');
        assert.equal(await html.getAttribute('lang'), edition.lang, `${name}: html[lang]`);
        assert.equal(await html.getAttribute('dir'), edition.dir, `${name}: html[dir]`);
        const h1 = page.locator('main h1');
        assert.equal(await h1.count(), 1, `${name}: one <h1> in <main>`);
        assert.ok(await h1.isVisible(), `${name}: the <h1> is visible`);
        const heading = squash(await h1.innerText());
        assert.ok(heading.length > 0, `${name}: the <h1> has text`);
        if (edition.lang === 'fa') {
          assert.match(squash(await page.locator('main').innerText()), PERSIAN, `${name}: Persian text is visible`);
          assert.match(squash(await page.locator('header nav').innerText()), PERSIAN, `${name}: the menu is in Persian`);
        }
        if (SCREENSHOT_DIR) {
          await mkdir(SCREENSHOT_DIR, { recursive: true });
          const file = path.join(SCREENSHOT_DIR, `${edition.lang}-${String(step).padStart(2, '0')}-${name}.png`);
          await page.screenshot({ path: file, fullPage: true });
        }
        t.diagnostic(`${name}: ${url.slice(site.origin.length)} — ${heading}`);
        return heading;
      };

      /** Clicks `link` like a reader and waits for the page it points to; returns {text, url}. */
      const follow = async (name, link) => {
        assert.ok((await link.count()) > 0, `${name}: no such link on ${page.url()}`);
        const first = link.first();
        assert.ok(await first.isVisible(), `${name}: the link is visible`);
        const text = squash(await first.innerText());
        assert.ok(text.length > 0, `${name}: the link has text`);
        const url = await first.evaluate((a) => a.href);
        await Promise.all([page.waitForURL(url), first.click()]);
        return { text, url, heading: await arrive(name) };
      };

      /** Whether the day page at `url` (of this site) shows an event card placed in a city. */
      const hasCityCard = async (url) => {
        let rel = decodeURIComponent(url.slice(site.base.length));
        if (rel === '' || rel.endsWith('/')) rel += 'index.html';
        const html = await readFile(path.join(site.root, ...rel.split('/')), 'utf8');
        return html.split('<article class="event-card"').slice(1)
          .some((card) => /<p class="meta">(?:(?!<\/p>)[\s\S])*href="[^"]*cities\//.test(card));
      };

      /** The event page cites at least one external source, by a link with text. */
      const assertSourceLinks = async (name) => {
        const sources = page.locator('main ol.sources > li');
        assert.ok((await sources.count()) >= 1, `${name}: a source list`);
        const links = await page.locator('main ol.sources > li > a[href^="http"]').evaluateAll((as) =>
          as.map((a) => ({ href: a.href, text: a.innerText.trim(), visible: a.getClientRects().length > 0 })));
        assert.ok(links.length >= 1, `${name}: at least one source link`);
        for (const l of links) {
          assert.ok(!l.href.startsWith(site.origin), `${name}: source ${l.href} is external`);
          assert.ok(l.text.length > 0, `${name}: source ${l.href} has link text`);
          assert.ok(l.visible, `${name}: source ${l.href} is visible`);
        }
        t.diagnostic(`${name}: ${links.length} source link(s), first ${links[0].href}`);
      };

      // Home.
      const response = await page.goto(`${site.base}${edition.start}`);
      assert.equal(response?.status(), 200);
      await arrive('home');

      // → the first period's timeline.
      const timeline = await follow('timeline', page.locator('main .period-list .period h3 a'));
      assert.equal(timeline.heading, timeline.text, 'the timeline is headed by the period’s title');

      // → a day: the first day whose page shows an event placed in a city (the first days may
      // be national only; the timeline lists titles only, so the day pages are read from disk).
      const days = page.locator('main ol.timeline > li.timeline-day');
      const listedDays = await days.evaluateAll((lis) => lis.map((li) => ({ id: li.id, href: li.querySelector('h2 a')?.href })));
      let iso = null;
      for (const d of listedDays) {
        assert.match(d.id, /^d\d{4}-\d{2}-\d{2}$/, 'the timeline day has an id dYYYY-MM-DD');
        if (d.href && await hasCityCard(d.href)) { iso = d.id.slice(1); break; }
      }
      assert.ok(iso, 'the timeline’s first page has a day with an event placed in a city');
      const cityDay = days.and(page.locator(`[id="d${iso}"]`));
      const day = await follow('day', cityDay.locator('h2 a'));
      assert.ok(day.url.includes(`/days/${iso}/`), `the day link points at days/${iso}/`);
      assert.equal(await page.locator(`main .day-dates time[datetime="${iso}"]`).count(), 1, 'the day page shows its date');
      assert.equal(squash(await page.locator('main .day-dates .period-day').innerText()), day.text,
        'the day page carries the “Day N” label the timeline linked with');
      if (edition.lang === 'fa') {
        assert.match(await page.locator('main .day-dates time').innerText(), PERSIAN_DIGIT, 'the date is in Persian digits');
      }

      // → an event of that day that happened in a city.
      const card = page.locator('main article.event-card').filter({ has: page.locator('.meta a[href*="cities/"]') });
      const event = await follow('event', card.locator('h3 a'));
      assert.equal(event.heading, event.text, 'the event page is headed by its title');
      await assertSourceLinks('event');

      // → the event's city.
      const city = await follow('city', page.locator('main dl.facts a[href*="cities/"]'));
      assert.ok(city.heading.includes(city.text), `the city page (${city.heading}) is headed by its name (${city.text})`);
      const listed = await page.locator('main .event-list > li > a:first-child').evaluateAll((as) => as.map((a) => a.href));
      assert.ok(listed.includes(event.url), 'the city page lists the event we came from');

      // → an event of that city (another one when there is one).
      const other = Math.max(0, listed.findIndex((h) => h !== event.url));
      const event2 = await follow('city-event', page.locator('main .event-list > li > a:first-child').nth(other));
      assert.equal(event2.heading, event2.text, 'the event page is headed by its title');
      await assertSourceLinks('city-event');

      // → the publisher of its first source.
      const publisher = await follow('publisher', page.locator('main ol.sources > li .source-meta a[href*="publishers/"]'));
      assert.ok(publisher.heading.includes(publisher.text), `the publisher page (${publisher.heading}) is headed by its name (${publisher.text})`);
      const cited = await page.locator('main .event-list > li > a:first-child').evaluateAll((as) => as.map((a) => a.href));
      assert.ok(cited.length >= 1, 'the publisher page lists events');
      assert.ok(cited.includes(event2.url), 'the publisher page lists the event that cites it');

      // What the pages did on the way.
      const dump = (x) => JSON.stringify(x, null, 2);
      assert.ok(log.requests.some((r) => r.url === `${site.base}style.css`), 'the pages load the stylesheet');
      assert.deepEqual(foreignRequests(log, site.origin), [], `requests to another origin than ${site.origin}`);
      assert.deepEqual(log.cspViolations, [], `Content-Security-Policy violations: ${dump(log.cspViolations)}`);
      assert.deepEqual(log.consoleErrors, [], `console errors: ${dump(log.consoleErrors)}`);
      assert.deepEqual(log.pageErrors, [], `uncaught errors: ${dump(log.pageErrors)}`);
      assert.deepEqual(log.httpErrors, [], `HTTP errors: ${dump(log.httpErrors)}`);
      assert.deepEqual(log.failed, [], `failed requests: ${dump(log.failed)}`);
      // Also what the browser asks for by itself, e.g. /favicon.ico when a page declares no icon
      // (outside a GitHub Pages project site), which page.on('request') does not see.
      const outside = site.served.slice(servedBefore).filter((r) => !r.path.startsWith(PREFIX));
      assert.deepEqual(outside, [], `requests to the server outside ${PREFIX}`);
      t.diagnostic(`${log.requests.length} requests, all to ${site.origin}${PREFIX}`);
      await context.close();
    });
  }
});
