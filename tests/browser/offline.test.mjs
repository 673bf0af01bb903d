// The offline copy: `build --offline-zip` writes downloads/ruzshomar-offline.zip, a ZIP of the
// site meant to be unpacked and opened from disk. This test unpacks it (with its own small ZIP
// reader: no unzip program or npm package needed), opens file:///…/index.html in headless
// Chromium and reads it as a reader does, by clicking links: home → timeline → a day → an event
// → its city → another event, in English and Persian. On every page: the heading is there, the
// stylesheet applies, no request fails or leaves file://, and every relative link (and the
// fragment it names) leads to a file of the copy. The map works from disk too: its marks are
// there and a popup opens (a place's details load as a <script>, which file:// allows). So does
// search: its index is made of scripts too.
//
//   RUZSHOMAR_BIN=target/debug/ruzshomar node --test tests/browser/offline.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { DESKTOP, exportedFeatures, fileExists, launchBrowser, openReader, problems, screenshot, startSite } from './harness.mjs';

/** Where `build --offline-zip` puts the ZIP in the site (src/write.rs, OFFLINE_ZIP). */
const OFFLINE_ZIP = 'downloads/ruzshomar-offline.zip';

const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();

/**
 * The files of a ZIP archive as [{name, data}]: reads the central directory, then each entry's
 * local header; stored and deflated entries only, no ZIP64 (the site is a few megabytes).
 */
function readZip(zip) {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error('not a ZIP file: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new Error('ZIP64 archives are not supported');
  const files = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${n}`);
    const method = zip.readUInt16LE(at + 10);
    const packed = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const skip = zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + skip;
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`${name}: bad local header`);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const raw = zip.subarray(start, start + packed);
    if (name.endsWith('/')) continue; // a folder
    if (name.startsWith('/') || name.split('/').includes('..')) throw new Error(`${name}: unsafe path`);
    const data = method === 0 ? raw : method === 8 ? inflateRawSync(raw) : null;
    if (!data) throw new Error(`${name}: compression method ${method} is not supported`);
    if (data.length !== size) throw new Error(`${name}: ${data.length} bytes unpacked, ${size} expected`);
    files.push({ name, data });
  }
  return files;
}

describe('the offline copy, opened from disk', () => {
  /** @type {Awaited<ReturnType<typeof startSite>>} */
  let site;
  /** @type {import('playwright-core').Browser} */
  let browser;
  let tmp;
  /** The folder of the unpacked copy (the one with index.html). */
  let copy;
  const contexts = [];

  before(async () => {
    site = await startSite({ extraBuildArgs: ['--offline-zip'] });
    browser = await launchBrowser();
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ruzshomar-offline-'));
    const files = readZip(await readFile(path.join(site.root, OFFLINE_ZIP)));
    for (const f of files) {
      const file = path.join(tmp, ...f.name.split('/'));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, f.data);
    }
    const tops = [...new Set(files.map((f) => f.name.split('/')[0]))];
    copy = tops.length === 1 && files.every((f) => f.name.includes('/')) ? path.join(tmp, tops[0]) : tmp;
  }, { timeout: 300_000 });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await site?.close().catch(() => {});
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  /** The file of the copy a file:// URL names, relative to the copy ('' when outside it). */
  const relOf = (url) => {
    const file = fileURLToPath(new URL(url).href.replace(/[?#].*$/, ''));
    const rel = path.relative(copy, file);
    return rel.startsWith('..') || path.isAbsolute(rel) ? '' : rel.split(path.sep).join('/');
  };

  /** Every relative link of the page that is broken: a missing file, or a missing #fragment. */
  const brokenLinks = async (page) => {
    // (SVG links too: their .href is not a string, so each is resolved against the page here.)
    const links = await page.$$eval('a[href], area[href]', (as) => as.map((a) => ({ raw: a.getAttribute('href'), href: new URL(a.getAttribute('href'), document.baseURI).href })));
    const broken = [];
    const ids = new Map();
    for (const { raw, href } of links) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(raw)) continue; // absolute: http(s), mailto…
      const u = new URL(href);
      const rel = relOf(u.href);
      if (!rel) { broken.push(`${raw} leaves the copy`); continue; }
      if (!(await fileExists(copy, rel))) { broken.push(`${raw} → ${rel}: no such file`); continue; }
      const id = decodeURIComponent(u.hash.slice(1));
      if (!id) continue;
      if (!ids.has(rel)) {
        const html = await readFile(path.join(copy, ...rel.split('/')), 'utf8');
        ids.set(rel, new Set([...html.matchAll(/\sid=(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)].map((m) => m[1] ?? m[2] ?? m[3])));
      }
      if (!ids.get(rel).has(id)) broken.push(`${raw}: no element #${id} in ${rel}`);
    }
    return broken;
  };

  for (const edition of [{ lang: 'en', home: '' }, { lang: 'fa', home: 'fa/' }]) {
    test(`a reader clicks through the ${edition.lang} edition from disk: home → timeline → day → event → city → event`, { timeout: 120_000 }, async (t) => {
      const { context, page, log } = await openReader(browser, { viewport: DESKTOP });
      contexts.push(context);
      const start = path.join(copy, ...`${edition.home}index.html`.split('/'));
      assert.ok(await fileExists(copy, `${edition.home}index.html`), `the copy has ${edition.home}index.html`);

      const arrive = async (name) => {
        const url = page.url();
        assert.match(url, /^file:\/\//, `${name}: ${url} is a file`);
        assert.ok(relOf(url).startsWith(edition.home), `${name}: ${url} is in the ${edition.lang} edition of the copy`);
        assert.equal(await page.getAttribute('html', 'lang'), edition.lang, `${name}: html[lang]`);
        const h1 = page.locator('main h1');
        assert.equal(await h1.count(), 1, `${name}: one <h1>`);
        assert.ok(await h1.isVisible(), `${name}: the <h1> is visible`);
        const heading = squash(await h1.innerText());
        assert.ok(heading, `${name}: the <h1> has text`);
        const styled = await page.evaluate(() => ({
          bg: getComputedStyle(document.documentElement).getPropertyValue('--bg').trim(),
          body: getComputedStyle(document.body).backgroundColor,
          sheets: [...document.styleSheets].map((s) => s.href).filter(Boolean),
        }));
        assert.notEqual(styled.bg, '', `${name}: the stylesheet applies (--bg is set)`);
        assert.notEqual(styled.body, 'rgba(0, 0, 0, 0)', `${name}: the page has the site’s background`);
        assert.ok(styled.sheets.some((h) => h.endsWith('/style.css')), `${name}: style.css is loaded (${styled.sheets})`);
        assert.deepEqual(await brokenLinks(page), [], `${name} (${relOf(url)}): broken relative links`);
        await screenshot(page, `offline-${edition.lang}-${name}`);
        t.diagnostic(`${name}: ${relOf(url)} — ${heading}`);
        return heading;
      };
      const follow = async (name, link) => {
        assert.ok((await link.count()) > 0, `${name}: no such link on ${relOf(page.url())}`);
        const first = link.first();
        const text = squash(await first.innerText());
        const href = await first.evaluate((a) => a.href);
        assert.match(href, /^file:\/\//, `${name}: the link ${href} stays on disk`);
        await Promise.all([page.waitForURL(href), first.click()]);
        return { text, href, heading: await arrive(name) };
      };

      await page.goto(pathToFileURL(start).href);
      await arrive('home');
      const timeline = await follow('timeline', page.locator('main .period-list .period h3 a'));
      assert.equal(timeline.heading, timeline.text, 'the timeline is headed by the period’s title');
      // The first day whose page shows an event placed in a city (the timeline lists titles only).
      const days = page.locator('main ol.timeline > li.timeline-day');
      let cityDay = null;
      for (const d of await days.evaluateAll((lis) => lis.map((li) => ({ id: li.id, href: li.querySelector('h2 a')?.href })))) {
        if (!d.href || !relOf(d.href)) continue;
        const html = await readFile(path.join(copy, ...relOf(d.href).split('/')), 'utf8');
        const cards = html.split('<article class="event-card"').slice(1);
        if (cards.some((card) => /<p class="meta">(?:(?!<\/p>)[\s\S])*href="[^"]*cities\//.test(card))) { cityDay = days.and(page.locator(`[id="${d.id}"]`)); break; }
      }
      assert.ok(cityDay, 'the timeline has a day with an event placed in a city');
      await follow('day', cityDay.locator('h2 a'));
      const card = page.locator('main article.event-card').filter({ has: page.locator('.meta a[href*="cities/"]') });
      const event = await follow('event', card.locator('h3 a'));
      assert.equal(event.heading, event.text, 'the event page is headed by its title');
      assert.ok((await page.locator('main ol.sources > li a[href^="http"]').count()) > 0, 'the event cites its sources');
      const city = await follow('city', page.locator('main dl.facts a[href*="cities/"]'));
      assert.ok(city.heading.includes(city.text), 'the city page is headed by its name');
      const listed = await page.locator('main .event-list > li > a:first-child').evaluateAll((as) => as.map((a) => a.href));
      assert.ok(listed.includes(event.href), 'the city lists the event we came from');
      const other = Math.max(0, listed.findIndex((h) => h !== event.href));
      const event2 = await follow('city-event', page.locator('main .event-list > li > a:first-child').nth(other));
      assert.equal(event2.heading, event2.text, 'the event page is headed by its title');
      // Back, as a reader does, to the city.
      await page.goBack();
      assert.equal(page.url(), city.href, 'Back returns to the city page');

      const notFile = log.requests.filter((r) => !/^(file|data):/.test(r.url));
      assert.deepEqual(notFile.map((r) => r.url), [], 'requests that are not file://');
      assert.deepEqual(problems(log), [], 'errors on the way');
      assert.ok(log.requests.some((r) => r.url.endsWith('/style.css')), 'the stylesheet was requested');
      await context.close();
    });
  }

  test('the map works from disk: its marks, and a popup with the place’s events', async () => {
    const { context, page, log } = await openReader(browser, { viewport: DESKTOP });
    contexts.push(context);
    await page.goto(pathToFileURL(path.join(copy, 'map', 'index.html')).href);
    await page.waitForFunction(() => document.documentElement.classList.contains('js'));
    // The open data is in the copy too: data/index.json and a gzip file per year.
    const features = await exportedFeatures(copy);
    const located = new Set(features.filter((f) => f.geometry).flatMap((f) => f.properties.place_ids.map((id) => (f.properties.scope === 'province' ? `province-${id}` : id))));
    const marks = await page.$$eval('#map .mark', (as) => as.filter((a) => a.getBoundingClientRect().width > 0).map((a) => a.dataset.id));
    assert.deepEqual(marks.sort(), [...located].sort(), 'one visible mark per located place');
    const mark = page.locator('#map .mark[data-id="lordegan"]');
    const id = (await mark.count()) ? 'lordegan' : marks[0];
    await page.click(`#map .mark[data-id="${id}"]`);
    await page.waitForSelector('#map-popup:not([hidden]) .mp-events > li', { state: 'visible' });
    assert.ok(log.requests.some((r) => r.url.endsWith(`/map/places/${id}.js`)), `the popup loaded map/places/${id}.js`);
    assert.ok((await page.locator('#map-popup .mp-src a[href^="https://"]').count()) > 0, 'the popup cites sources');
    assert.deepEqual(await brokenLinks(page), [], 'broken relative links on the map, popup included');
    await screenshot(page, 'offline-en-map-popup');
    // The popup's event link opens the event page from disk.
    const link = page.locator('#map-popup a.mp-title').first();
    const title = squash(await link.innerText());
    await Promise.all([page.waitForURL(/\/events\/[^/]+\/index\.html$/), link.click()]);
    assert.equal(squash(await page.locator('main h1').innerText()), title, 'the event page opens from the popup');
    assert.deepEqual(log.requests.filter((r) => !/^(file|data):/.test(r.url)).map((r) => r.url), [], 'requests that are not file://');
    assert.deepEqual(problems(log), [], 'errors on the map');
    await context.close();
  });

  for (const edition of [{ lang: 'en', home: '', query: 'Toomaj' }, { lang: 'fa', home: 'fa/', query: 'توماج' }]) {
    test(`search works from disk (${edition.lang}): words, a filter, and a result that opens`, async () => {
      const { context, page, log } = await openReader(browser, { viewport: DESKTOP });
      contexts.push(context);
      const start = pathToFileURL(path.join(copy, ...`${edition.home}search/index.html`.split('/'))).href;
      await page.goto(`${start}?q=${encodeURIComponent(edition.query)}&kind=arrest`);
      await page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false');
      assert.ok(!(await page.locator('#search-nojs').isVisible()), 'no notice: search works');
      const link = page.locator('#search-results .event-title').first();
      assert.equal(await page.locator('#search-results .event-title').count(), 1, 'the one event found');
      const title = squash(await link.innerText());
      await Promise.all([page.waitForURL(/\/events\/[^/]+\/index\.html$/), link.click()]);
      assert.equal(squash(await page.locator('main h1').innerText()), title, 'the event page opens from the result');
      assert.ok(log.requests.some((r) => r.url.includes(`${edition.home}search/words/`)), 'the index loaded from disk');
      assert.deepEqual(log.requests.filter((r) => !/^(file|data):/.test(r.url)).map((r) => r.url), [], 'requests that are not file://');
      assert.deepEqual(problems(log), [], 'errors');
      await context.close();
    });
  }
});
