// The search page (search/index.html, fa/search/index.html), served under /repo/ and opened in
// headless Chromium: words in English and Persian (however the reader types Persian: Arabic ي/ك,
// with or without the zero-width non-joiner, Persian or Latin digits), each filter with its
// counts, paging, a shared URL reloaded, a result followed to its event page, and the page
// without JavaScript. What each filter should find is worked out from the built site's open
// data (data/<year>.json.gz), never hard-coded.
//
//   RUZSHOMAR_BIN=target/debug/ruzshomar node --test tests/browser/search.test.mjs
//
// SCREENSHOT_DIR, when set, receives phone (390×844) and desktop (1280×900) screenshots of the
// search page with results and its filters open, in English and Persian.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  DESKTOP, REPO, VIEWPORT, fileExists, foreignRequests, launchBrowser, openReader, problems, screenshot, startSite,
} from './harness.mjs';

const EDITIONS = [{ lang: 'en', home: '' }, { lang: 'fa', home: 'fa/' }];
const PAGE = 20;
const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
const toLatin = (s) => s.replace(/[۰-۹]/g, (d) => String(d.charCodeAt(0) - 0x6f0)).replace(/[٬,]/g, '');
const idOf = (href) => /\/events\/([^/]+)\/index\.html$/.exec(new URL(href).pathname)?.[1];

describe('the search page', () => {
  /** @type {Awaited<ReturnType<typeof startSite>>} */
  let site;
  /** @type {import('playwright-core').Browser} */
  let browser;
  /** Events of the open data, newest first (as results are listed). */
  let events;
  const contexts = [];

  before(async () => {
    site = await startSite();
    browser = await launchBrowser();
    const years = (await readdir(path.join(site.root, 'data'))).filter((f) => /^\d{4}\.json\.gz$/.test(f));
    assert.ok(years.length > 0, 'the open data has a JSON file per year');
    const all = [];
    for (const f of years) all.push(...JSON.parse(gunzipSync(await readFile(path.join(site.root, 'data', f)))).events);
    events = [...all].sort((a, b) => (a.date === b.date ? (a.id < b.id ? 1 : -1) : a.date < b.date ? 1 : -1));
  }, { timeout: 300_000 });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await site?.close().catch(() => {});
  });

  const reader = async (options = {}) => {
    const r = await openReader(browser, { viewport: DESKTOP, ...options });
    contexts.push(r.context);
    return r;
  };

  /** Waits until the page has finished a search (the list is not busy and a status is shown). */
  const settled = (page) => page.waitForFunction(() => {
    const list = document.getElementById('search-results');
    return list.getAttribute('aria-busy') === 'false' && document.getElementById('search-status').textContent.trim() !== '';
  });

  const open = async (page, edition, params = '') => {
    await page.goto(`${site.base}${edition.home}search/index.html${params ? `?${params}` : ''}`);
    await settled(page);
  };

  /** What the page shows: the number in the status line, the ids listed, the pager's text. */
  const shown = (page) => page.evaluate(() => ({
    status: document.getElementById('search-status').textContent,
    ids: [...document.querySelectorAll('#search-results .event-title')].map((a) => a.href),
    pager: document.getElementById('search-pager').hidden ? '' : document.getElementById('sp-at').textContent,
  })).then((s) => ({ ...s, n: Number((toLatin(s.status).match(/\d+/) || ['0'])[0]), ids: s.ids.map(idOf) }));

  /** The results expected for events matching `keep`: their count and the first page's ids. */
  const expected = (keep) => {
    const found = events.filter(keep);
    return { n: found.length, ids: found.slice(0, PAGE).map((e) => e.id) };
  };

  /** Types `text` into the search box and waits for its results. */
  const type = async (page, text) => {
    await page.fill('#search-q', text);
    await page.press('#search-q', 'Enter');
    await settled(page);
    await page.waitForFunction((q) => new URLSearchParams(location.search).get('q') === q, text.trim());
  };

  test('the page folds words as the index does (tests/fixtures/search-words.tsv)', async () => {
    const { page } = await reader();
    await open(page, EDITIONS[1]);
    const examples = (await readFile(path.join(REPO, 'tests', 'fixtures', 'search-words.tsv'), 'utf8'))
      .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t'));
    assert.ok(examples.length > 20, 'the examples');
    const folded = await page.evaluate((texts) => texts.map((t) => window.RUZSHOMAR_SEARCH.words(t).join(' ')), examples.map(([text]) => text));
    assert.deepEqual(folded.map((w, i) => [examples[i][0], w]), examples.map(([text, words]) => [text, words]));
  });

  test('without JavaScript the page says search needs it and leads to the browse pages', async () => {
    for (const edition of EDITIONS) {
      const { page, log } = await reader({ javaScriptEnabled: false });
      await page.goto(`${site.base}${edition.home}search/index.html`);
      assert.ok(await page.locator('#search-nojs').isVisible(), `${edition.lang}: the no-JavaScript notice shows`);
      assert.ok(!(await page.locator('#search-form').isVisible()), `${edition.lang}: the form that cannot work is hidden`);
      const links = await page.$$eval('.search-browse a', (as) => as.map((a) => a.getAttribute('href')));
      for (const want of ['timeline/', 'places/index.html', 'tags/index.html', 'publishers/index.html']) {
        assert.ok(links.some((h) => h.includes(want)), `${edition.lang}: a link to ${want} among ${links}`);
      }
      for (const href of links) {
        const rel = new URL(href, page.url()).pathname.slice(site.prefix.length);
        assert.ok(await fileExists(site.root, rel), `${edition.lang}: ${href} exists`);
      }
      assert.deepEqual(log.requests.filter((r) => /search\/|search\.js/.test(new URL(r.url).pathname) && !r.url.endsWith('search/index.html')).map((r) => r.url), [], 'no script or index loads');
    }
  });

  test('no other page loads the search script or index', async () => {
    const { page, log } = await reader();
    const pages = ['index.html', 'fa/index.html', `events/${events[0].id}/index.html`, 'map/index.html', 'places/index.html'];
    for (const p of pages) await page.goto(`${site.base}${p}`);
    const loaded = log.requests.filter((r) => /\/search(\/|\.js|\.css)/.test(new URL(r.url).pathname));
    assert.deepEqual(loaded.map((r) => r.url), [], 'search files requested by other pages');
    assert.ok(await page.locator(`.site-header a[href$="search/index.html"]`).count(), 'the header links to the search page');
  });

  test('English: a person’s name, a place and a phrase find their events; a result leads to its event page', async (t) => {
    const { page, log } = await reader();
    const edition = EDITIONS[0];
    await open(page, edition);
    assert.ok(!(await page.locator('#search-nojs').isVisible()), 'the no-JavaScript notice is hidden');
    const toomaj = events.find((e) => /toomaj/i.test(e.title));
    assert.ok(toomaj, 'the bundled events name Toomaj Salehi');
    await type(page, 'Toomaj Salehi');
    let s = await shown(page);
    assert.deepEqual(s.ids, [toomaj.id], 'the name finds its one event');
    // Lower case, accents and a word cut short: still found.
    await type(page, 'toomaj sáleh');
    assert.deepEqual((await shown(page)).ids, [toomaj.id], 'prefixes, case and accents');
    // A place finds the events there (by the city, in the title or in the summary).
    await type(page, 'Zahedan');
    s = await shown(page);
    const zahedan = events.filter((e) => e.places.some((p) => p.id === 'zahedan'));
    assert.ok(zahedan.length > 0 && s.n >= zahedan.length, `Zahedan: ${s.n} results for ${zahedan.length} events there`);
    assert.ok(zahedan.every((e) => s.ids.includes(e.id) || s.n > PAGE), 'every event in Zahedan is found');
    // Every word must be there: more words, fewer results.
    await type(page, 'Zahedan Khamenei');
    assert.ok((await shown(page)).n <= s.n, 'a second word narrows the results');
    await type(page, 'qqqqzzzz');
    s = await shown(page);
    assert.equal(s.n, 0, 'nothing for a word that is nowhere');
    assert.ok(!(await page.locator('#search-results').isVisible()), 'no list without results');
    // Follow a result.
    await type(page, 'Toomaj');
    const link = page.locator('#search-results .event-title').first();
    const title = squash(await link.innerText());
    await Promise.all([page.waitForURL(/\/events\/[^/]+\/index\.html$/), link.click()]);
    assert.equal(squash(await page.locator('main h1').innerText()), title, 'the event page opens from the result');
    assert.equal(idOf(page.url()), toomaj.id);
    await page.goBack();
    await settled(page);
    assert.equal(await page.inputValue('#search-q'), 'Toomaj', 'Back returns to the search as it was');
    assert.deepEqual(problems(log), [], 'errors');
    assert.deepEqual(foreignRequests(log, site.origin), [], 'requests to other origins');
    t.diagnostic(`requests: ${log.requests.map((r) => new URL(r.url).pathname).filter((p) => p.includes('search')).join(' ')}`);
  });

  test('Persian: Arabic ي/ك, the zero-width non-joiner, and Persian, Arabic or Latin digits all find the Persian text', async () => {
    const { page, log } = await reader();
    const edition = EDITIONS[1];
    await open(page, edition);
    const toomaj = events.find((e) => e.translations?.fa?.title?.includes('توماج'));
    assert.ok(toomaj, 'a Persian title names Toomaj Salehi');
    await type(page, 'توماج صالحی');
    assert.deepEqual((await shown(page)).ids, [toomaj.id], 'the name in Persian');
    assert.equal(squash(await page.locator('#search-results .event-title').first().innerText()), squash(toomaj.translations.fa.title), 'the Persian title is shown');
    // Kian Pirfalak, typed with the Arabic yeh and kaf as many keyboards do.
    await type(page, 'کیان پیرفلک');
    const persian = await shown(page);
    assert.ok(persian.n > 0, 'کیان پیرفلک is found');
    await type(page, 'كيان پيرفلك');
    assert.deepEqual(await shown(page), persian, 'typed with Arabic ي and ك: the same events');
    await type(page, 'ملكشاهي');
    const malekshahi = await shown(page);
    assert.ok(malekshahi.n > 0, 'ملكشاهي (Arabic letters) finds ملکشاهی');
    // می‌گوید with a zero-width non-joiner, a space, or nothing between its parts.
    const variants = [];
    for (const q of ['می‌گوید', 'می گوید', 'میگوید']) {
      await type(page, q);
      variants.push(await shown(page));
    }
    assert.ok(variants[0].n > 0, 'می‌گوید is found');
    assert.deepEqual(variants[1], variants[0], 'می گوید (a space) finds the same');
    assert.deepEqual(variants[2], variants[0], 'میگوید (joined) finds the same');
    // The same year in three scripts of digits.
    const years = [];
    for (const q of ['۱۴۰۱', '١٤٠١', '1401']) {
      await type(page, q);
      years.push(await shown(page));
    }
    assert.ok(years[0].n > 0, '۱۴۰۱ is found');
    assert.deepEqual(years[1], years[0], 'Arabic-Indic digits');
    assert.deepEqual(years[2], years[0], 'Latin digits');
    assert.match(years[0].status, /[۰-۹]/, 'the count is in Persian digits');
    // The Persian edition finds English words too.
    await type(page, 'Toomaj');
    assert.deepEqual((await shown(page)).ids, [toomaj.id], 'English words in the Persian edition');
    assert.deepEqual(problems(log), [], 'errors');
  });

  /** Each filter: the select's value, and which events it keeps. */
  const provinceOf = (e) => new Set(e.places.map((p) => p.province ?? p.id));
  const publishersOf = (e) => new Set([...e.sources.map((s) => s.publisher), ...e.figures.map((f) => f.according_to)]);
  const pick = (counts) => [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
  const countBy = (valuesOf) => {
    const counts = new Map();
    for (const e of events) for (const v of valuesOf(e)) counts.set(v, (counts.get(v) || 0) + 1);
    return counts;
  };

  for (const edition of EDITIONS) {
    test(`${edition.lang}: each filter keeps the events it names, with the counts it shows`, { timeout: 120_000 }, async (t) => {
      const { page, log } = await reader();
      await open(page, edition);
      await page.click('#search-filters summary');
      await page.waitForFunction(() => document.querySelectorAll('#sf-kind option').length > 1);
      const facets = [
        { name: 'province', valuesOf: (e) => (e.scope === 'national' ? [] : [...provinceOf(e)]) },
        { name: 'city', valuesOf: (e) => (e.scope === 'city' ? e.places.map((p) => p.id) : []) },
        { name: 'kind', valuesOf: (e) => [e.kind] },
        { name: 'tag', valuesOf: (e) => e.tags },
        { name: 'publisher', valuesOf: (e) => [...publishersOf(e)] },
      ];
      for (const f of facets) {
        const value = pick(countBy(f.valuesOf));
        const label = await page.$eval(`#sf-${f.name} option[value="${value}"]`, (o) => o.textContent);
        const want = expected((e) => f.valuesOf(e).includes(value));
        assert.equal(Number(toLatin(label).match(/\((\d+)\)$/)?.[1]), want.n, `${f.name} ${value}: the option counts its events (${label})`);
        await page.selectOption(`#sf-${f.name}`, value);
        await settled(page);
        await page.waitForFunction(([k, v]) => new URLSearchParams(location.search).get(k) === v, [f.name, value]);
        const s = await shown(page);
        assert.equal(s.n, want.n, `${f.name} ${value}: the number of results`);
        assert.deepEqual(s.ids, want.ids, `${f.name} ${value}: the results, newest first`);
        t.diagnostic(`${f.name}=${value}: ${s.n} events (${label})`);
        await page.selectOption(`#sf-${f.name}`, '');
        await settled(page);
      }
      // Period: the 2022 uprising, from its start to its end.
      const period = { id: 'uprising-2022', from: '2022-09-16', to: '2023-09-16' };
      const inPeriod = expected((e) => e.date >= period.from && e.date <= period.to);
      await page.selectOption('#sf-period', period.id);
      await settled(page);
      let s = await shown(page);
      assert.equal(s.n, inPeriod.n, 'period: the number of results');
      assert.deepEqual(s.ids, inPeriod.ids, 'period: the results');
      // Date range, within the period: two weeks of November 2022.
      const range = expected((e) => e.date >= '2022-11-10' && e.date <= '2022-11-24');
      assert.ok(range.n > 0 && range.n < inPeriod.n, 'the date range has events');
      await page.fill('#sf-from', '2022-11-10');
      await page.locator('#sf-from').dispatchEvent('change');
      await settled(page);
      await page.fill('#sf-to', '2022-11-24');
      await page.locator('#sf-to').dispatchEvent('change');
      await settled(page);
      s = await shown(page);
      assert.equal(s.n, range.n, 'date range: the number of results');
      assert.deepEqual(s.ids, range.ids, 'date range: the results');
      assert.match(await page.textContent('#sf-from-o'), edition.lang === 'fa' ? /۱۴۰۱/ : /Aban 1401/, 'the date is also given in the Solar Hijri calendar');
      // Single source only, on top of the dates.
      const singles = (e) => new Set(e.sources.map((x) => x.publisher)).size === 1;
      const single = expected((e) => e.date >= '2022-11-10' && e.date <= '2022-11-24' && singles(e));
      const singleLabel = toLatin(await page.textContent('#sf-single-n'));
      await page.check('#sf-single');
      await settled(page);
      s = await shown(page);
      assert.equal(s.n, single.n, 'single source: the number of results');
      assert.deepEqual(s.ids, single.ids, 'single source: the results');
      assert.equal(singleLabel, `(${single.n})`, 'the checkbox counted them');
      await screenshot(page, `search-${edition.lang}-filters-desktop`, { fullPage: true });
      // Clear: every filter off.
      await page.click('#sf-clear');
      await settled(page);
      assert.equal(new URL(page.url()).search, '', 'no filter left in the URL');
      assert.deepEqual(problems(log), [], 'errors');
    });
  }

  test('words and filters together, pages of results, and a shared URL that reloads as it was', { timeout: 120_000 }, async () => {
    const { page, log } = await reader();
    const edition = EDITIONS[0];
    // Every event of the 2025 uprising: more than one page.
    const want = events.filter((e) => e.date >= '2025-12-28');
    assert.ok(want.length > PAGE, 'the 2025 uprising has more than a page of events');
    await open(page, edition, 'period=uprising-2025');
    let s = await shown(page);
    assert.equal(s.n, want.length);
    assert.deepEqual(s.ids, want.slice(0, PAGE).map((e) => e.id), 'page 1');
    assert.ok(await page.locator('#search-filters').evaluate((d) => d.open), 'a filter in the URL opens the filters');
    await Promise.all([page.waitForURL(/page=2/), page.click('#sp-next')]);
    await settled(page);
    s = await shown(page);
    assert.deepEqual(s.ids, want.slice(PAGE, 2 * PAGE).map((e) => e.id), 'page 2');
    assert.match(s.pager, /2/, 'the pager says page 2');
    await page.goBack();
    await settled(page);
    assert.deepEqual((await shown(page)).ids, want.slice(0, PAGE).map((e) => e.id), 'Back: page 1 again');
    // A word and a kind: the URL holds both; reloading it gives the same page.
    await type(page, 'protesters');
    await page.selectOption('#sf-kind', 'protest');
    await settled(page);
    const url = page.url();
    assert.match(url, /q=protesters/);
    assert.match(url, /kind=protest/);
    assert.match(url, /period=uprising-2025/);
    const before = await shown(page);
    assert.ok(before.n > 0, 'words and filters find events');
    const fresh = await reader();
    await fresh.page.goto(url);
    await settled(fresh.page);
    assert.deepEqual(await shown(fresh.page), before, 'the shared URL shows the same results');
    assert.equal(await fresh.page.inputValue('#search-q'), 'protesters');
    assert.equal(await fresh.page.inputValue('#sf-kind'), 'protest');
    assert.equal(await fresh.page.inputValue('#sf-period'), 'uprising-2025');
    await fresh.page.reload();
    await settled(fresh.page);
    assert.deepEqual(await shown(fresh.page), before, 'and again after a reload');
    assert.deepEqual([...problems(log), ...problems(fresh.log)], [], 'errors');
  });

  for (const edition of EDITIONS) {
    test(`${edition.lang}: screenshots with results and filters, phone and desktop`, async () => {
      const query = edition.lang === 'fa' ? 'q=%D8%AA%D9%87%D8%B1%D8%A7%D9%86&period=uprising-2025' : 'q=tehran&period=uprising-2025';
      for (const [name, viewport] of [['phone', VIEWPORT], ['desktop', DESKTOP]]) {
        const { page, log } = await reader({ viewport });
        await open(page, edition, query);
        assert.ok((await shown(page)).n > 0, 'results');
        await screenshot(page, `search-${edition.lang}-${name}`, { fullPage: true });
        assert.deepEqual(problems(log), [], 'errors');
      }
    });
  }
});
