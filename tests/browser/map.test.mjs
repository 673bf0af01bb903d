// The map page (map/index.html), served under /repo/ and opened in headless Chromium: one mark per
// located place of the bundled content, a popup per place with its events and their sources, the
// date and kind filters, zoom and pan, the view kept in the URL, the keyboard, and the page
// without JavaScript (each mark a link, the legend shown).
//
// What the map should show is computed from the built site's open data (the GeoJSON of every
// year, data/<year>.geojson.gz, listed in data/index.json), never hard-coded: a Feature's
// `properties.place_ids` name the places it happened in; for an event known only by province
// (`scope: province`) they are province ids and the mark is `province-<id>`.
//
// A place's details (map/places/<id>.js) are one file for both editions: compact entries (day,
// kind, id, titles, `[publisher, url]` sources) that the popup turns into dates, publisher names
// and the address of the event's page in the reader's edition.
//
//   RUZSHOMAR_BIN=target/debug/ruzshomar node --test tests/browser/map.test.mjs
//
// SCREENSHOT_DIR, when set, receives desktop (1280×900) and phone (390×844) screenshots of the
// map, its popup, a city page and the timeline with its heat map, in English and Persian.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  DESKTOP, PREFIX, REPO, SCREENSHOT_DIR, VIEWPORT,
  exportedFeatures, fileExists, foreignRequests, launchBrowser, openReader, problems, screenshot, startSite,
} from './harness.mjs';

const PERSIAN = /[\u0600-\u06FF]/;
const PERSIAN_DIGIT = /[۰-۹]/;
const LATIN_DIGIT = /[0-9]/;
const squash = (s) => (s ?? '').replace(/\s+/g, ' ').trim();
const toPersianDigits = (n) => String(n).replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[d]);
const sorted = (xs) => [...xs].sort();

/** The mark id of each place a GeoJSON feature happened in (see the comment at the top). */
function markIdsOf(feature) {
  const p = feature.properties;
  return p.place_ids.map((id) => (p.scope === 'province' ? `province-${id}` : id));
}

/** The mark ids with an event that began in [from, to] (ISO dates), by the GeoJSON. */
function placesBetween(features, from, to) {
  const ids = new Set();
  for (const f of features) if (f.properties.date >= from && f.properties.date <= to) markIdsOf(f).forEach((id) => ids.add(id));
  return sorted(ids);
}

/** Publisher id → name, from data/publishers.yaml (a list of `- id: …` / `  name: …` entries). */
async function publisherNames() {
  const yaml = await readFile(path.join(REPO, 'data', 'publishers.yaml'), 'utf8');
  const names = new Map();
  for (const m of yaml.matchAll(/^- id: *(\S+)\s*\n(?: {2}.*\n)*? {2}name: *(.+?) *$/gm)) names.set(m[1], m[2].replace(/^["']|["']$/g, ''));
  return names;
}

// --- what the page shows ------------------------------------------------------------------------

const allMarkIds = (page) => page.$$eval('#map .mark[data-id]', (as) => as.map((a) => a.getAttribute('data-id')).sort());

/** The ids of the marks a reader can see (rendered with a size, not display:none). */
const shownMarkIds = (page) => page.$$eval('#map .mark[data-id]', (as) => as.filter((a) => {
  const r = a.getBoundingClientRect();
  return r.width > 0 && r.height > 0 && getComputedStyle(a).visibility !== 'hidden';
}).map((a) => a.getAttribute('data-id')).sort());

const viewBox = (page) => page.$eval('#map', (s) => s.getAttribute('viewBox').split(/[\s,]+/).map(Number));
const mapReady = (page) => page.waitForFunction(() => document.documentElement.classList.contains('js') && !document.getElementById('map-controls').hidden);
const popupOpen = (page) => page.waitForSelector('#map-popup:not([hidden]) .mp-events', { state: 'visible' });

/** Everything a reader can tell about the map's state, for comparing two pages. */
async function mapState(page) {
  return page.evaluate(() => {
    const $ = (id) => document.getElementById(id);
    const pop = $('map-popup');
    return {
      from: $('mc-from').value,
      to: $('mc-to').value,
      fromLabel: $('mc-from-d').textContent,
      toLabel: $('mc-to-d').textContent,
      period: $('mc-period').value,
      kinds: [...document.querySelectorAll('#mc-chips input')].map((c) => `${c.parentElement.textContent.trim()}:${c.checked}`),
      shown: $('mc-shown').textContent,
      hidden: [...document.querySelectorAll('#map .mark')].filter((a) => !a.getBoundingClientRect().width).map((a) => a.dataset.id).sort(),
      viewBox: $('map').getAttribute('viewBox'),
      popup: pop.hidden ? null : {
        title: $('map-popup-title')?.textContent,
        events: [...pop.querySelectorAll('.mp-events > li')].map((li) => li.innerText.replace(/\s+/g, ' ').trim()),
      },
    };
  });
}

describe('the map page', () => {
  /** @type {Awaited<ReturnType<typeof startSite>>} */
  let site;
  /** @type {import('playwright-core').Browser} */
  let browser;
  let features = [];
  let located = [];
  let lordegan = [];
  let publishers = new Map();
  const contexts = [];

  before(async () => {
    site = await startSite();
    browser = await launchBrowser();
    features = (await exportedFeatures(site.root)).filter((f) => f.geometry);
    located = sorted(new Set(features.flatMap(markIdsOf)));
    lordegan = features.filter((f) => markIdsOf(f).includes('lordegan'));
    publishers = await publisherNames();
  }, { timeout: 300_000 });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await site?.close().catch(() => {});
  });

  /** A fresh reader (recorded: see openReader) on a map page of the site, ready to use. */
  const openMap = async (rel = 'map/index.html', options = {}) => {
    const reader = await openReader(browser, { viewport: DESKTOP, ...options });
    contexts.push(reader.context);
    const response = await reader.page.goto(`${site.base}${rel}`);
    assert.equal(response?.status(), 200, `${rel}: status`);
    if (options.javaScriptEnabled !== false) await mapReady(reader.page);
    return reader;
  };

  /** Nothing went wrong and nothing left the site. */
  const assertClean = (log, what) => {
    assert.deepEqual(problems(log), [], `${what}: errors`);
    assert.deepEqual(foreignRequests(log, site.origin).map((r) => r.url), [], `${what}: requests to another origin`);
  };

  /** The on-disk file a same-site link points at (…/ → …/index.html), relative to the site. */
  const fileOf = (href) => {
    const u = new URL(href);
    assert.equal(u.origin, site.origin, `${href} stays on the site`);
    assert.ok(u.pathname.startsWith(PREFIX), `${href} stays under ${PREFIX}`);
    const rel = decodeURIComponent(u.pathname.slice(PREFIX.length));
    return rel === '' || rel.endsWith('/') ? `${rel}index.html` : rel;
  };

  test('the bundled content has located places, Lordegan among them', () => {
    assert.ok(located.length >= 2, `the GeoJSON locates ${located.length} place(s)`);
    assert.ok(lordegan.length >= 1, 'the GeoJSON has an event in Lordegan (the tests below use it)');
  });

  test('one mark per located place, each visible, and the count says how many', async () => {
    const { page, log } = await openMap();
    assert.deepEqual(await allMarkIds(page), located, 'the marks are the places of the GeoJSON');
    assert.deepEqual(await shownMarkIds(page), located, 'every mark is visible at first');
    const n = located.length;
    assert.match(squash(await page.textContent('#mc-shown')), new RegExp(`\\b${n}\\b.*\\b${n}\\b`), `the count says ${n} of ${n}`);
    assert.ok(await page.locator('#map-controls').isVisible(), 'the filters are shown');
    assert.ok(await page.locator('#map-zoom').isVisible(), 'the zoom buttons are shown');
    assert.ok(await page.locator('#map-popup').isHidden(), 'no popup at first');
    await screenshot(page, 'map-en-desktop');
    assertClean(log, 'map');
  });

  test('clicking Lordegan’s mark shows its events with their sources', async () => {
    const { page, log } = await openMap();
    const mark = page.locator('.mark[data-id="lordegan"]');
    const name = await mark.getAttribute('data-name');
    await mark.click();
    await popupOpen(page);
    assert.equal(squash(await page.textContent('#map-popup-title')), name, 'the popup is headed by the place');
    assert.ok(page.url().includes('place=lordegan'), `the URL names the place: ${page.url()}`);
    assert.ok(await mark.evaluate((a) => a.classList.contains('sel')), 'the mark is shown selected');

    assert.ok(log.requests.some((r) => r.url === `${site.base}map/places/lordegan.js`), 'the popup loads map/places/lordegan.js');
    const items = page.locator('#map-popup .mp-events > li');
    assert.equal(await items.count(), lordegan.length, 'one entry per event of Lordegan in the GeoJSON');
    for (const f of lordegan) {
      const p = f.properties;
      const item = items.filter({ has: page.locator('a.mp-title', { hasText: p.title }) });
      assert.equal(await item.count(), 1, `the popup lists “${p.title}”`);
      const link = item.locator('a.mp-title');
      const href = await link.evaluate((a) => a.href);
      assert.equal(fileOf(href), `events/${p.id}/index.html`, `“${p.title}” links to its event page`);
      assert.ok(await fileExists(site.root, fileOf(href)), `${href} exists`);
      assert.equal(await item.locator('time').getAttribute('datetime'), p.date, `“${p.title}” shows its date`);

      const sources = await item.locator('.mp-src a').evaluateAll((as) => as.map((a) => ({ text: a.textContent.trim(), href: a.href, rel: a.rel, visible: a.getClientRects().length > 0 })));
      const cited = p.sources.filter((s) => /^https?:\/\//.test(s.url));
      assert.equal(sources.length, cited.length, `“${p.title}”: one link per source`);
      for (const s of cited) {
        const shown = sources.find((x) => x.href === new URL(s.url).href);
        assert.ok(shown, `“${p.title}”: a link to its source ${s.url}`);
        assert.match(shown.href, /^https:\/\//, `${s.url} is an https link`);
        assert.ok(shown.visible, `${s.url} is visible`);
        assert.ok(shown.rel.split(/\s+/).includes('noopener'), `${s.url} has rel=noopener (rel="${shown.rel}")`);
        const publisher = publishers.get(s.publisher);
        if (publisher) assert.equal(shown.text, publisher, `${s.url} is named by its publisher`);
        else assert.ok(shown.text.length > 0, `${s.url} has link text`);
      }
    }
    const all = await page.locator('#map-popup .mp-all a').evaluate((a) => a.href);
    assert.equal(fileOf(all), 'cities/lordegan/index.html', 'the popup links to the place’s page');
    await screenshot(page, 'map-en-desktop-popup');

    // The reader follows the first event's link.
    const first = page.locator('#map-popup a.mp-title').first();
    const title = squash(await first.textContent());
    await Promise.all([page.waitForURL(/\/events\/[^/]+\/index\.html$/), first.click()]);
    assert.equal(squash(await page.locator('main h1').innerText()), title, 'the event page is headed by the title the popup showed');
    assertClean(log, 'map → event');
  });

  test('the date sliders hide the places outside the range and the count follows', async () => {
    const { page, log } = await openMap();
    const days = await page.evaluate(() => window.RUZSHOMAR_MAP.days);
    const last = days.length - 1;
    assert.equal(await page.getAttribute('#mc-from', 'max'), String(last), 'the slider spans every day');
    const lastDay = lordegan.map((f) => f.properties.end || f.properties.date).sort().at(-1);
    const firstDay = lordegan.map((f) => f.properties.date).sort()[0];
    const after = days.findIndex((d) => d > lastDay);
    assert.ok(after > 0, `the map has a day after Lordegan’s last (${lastDay})`);
    const count = async () => squash(await page.textContent('#mc-shown'));

    // "From" moved with the keyboard to the first day after Lordegan's.
    await page.focus('#mc-from');
    for (let i = 0; i < after; i++) await page.keyboard.press('ArrowRight');
    assert.equal(await page.inputValue('#mc-from'), String(after));
    let expected = placesBetween(features, days[after], days[last]);
    assert.ok(!expected.includes('lordegan'));
    assert.deepEqual(await shownMarkIds(page), expected, `from ${days[after]}: the places with events since then`);
    assert.ok(await page.locator('.mark[data-id="lordegan"]').isHidden(), 'Lordegan’s mark is hidden');
    assert.match(await count(), new RegExp(`^\\D*${expected.length}\\D+${located.length}\\b`), `the count says ${expected.length} of ${located.length}`);
    assert.notEqual(squash(await page.textContent('#mc-from-d')), '', 'the slider shows its date');
    assert.equal(await page.getAttribute('#mc-from', 'aria-valuetext'), await page.textContent('#mc-from-d'), 'the slider’s value is read out as a date');
    await page.waitForTimeout(400); // the URL follows the sliders after 300 ms
    assert.ok(page.url().includes(`from=${days[after]}`), `the URL keeps the start date: ${page.url()}`);

    // Both sliders on Lordegan's (first) day.
    const day = days.indexOf(firstDay);
    assert.ok(day >= 0, `the map has Lordegan’s day ${firstDay}`);
    await page.focus('#mc-from');
    for (let i = after; i > day; i--) await page.keyboard.press('ArrowLeft');
    await page.focus('#mc-to');
    for (let i = last; i > day; i--) await page.keyboard.press('ArrowLeft');
    assert.deepEqual([await page.inputValue('#mc-from'), await page.inputValue('#mc-to')], [String(day), String(day)]);
    expected = placesBetween(features, firstDay, firstDay);
    assert.ok(expected.includes('lordegan'));
    assert.deepEqual(await shownMarkIds(page), expected, `on ${firstDay} only: the places with events that day`);
    assert.match(await count(), new RegExp(`^\\D*${expected.length}\\D+${located.length}\\b`), `the count says ${expected.length} of ${located.length}`);
    assert.equal(await page.inputValue('#mc-period'), 'custom', 'the period menu says “custom range”');

    // Back to all dates with the period menu.
    await page.selectOption('#mc-period', '');
    assert.deepEqual(await shownMarkIds(page), located, 'all dates: every mark again');
    assertClean(log, 'map sliders');
  });

  test('the kind filters hide the places whose events are all of the unchecked kinds', async () => {
    const { page, log } = await openMap();
    const kind = lordegan[0].properties.kind;
    const chip = page.locator(`#mc-chips label.kind-${kind} input`);
    assert.equal(await chip.count(), 1, `a filter for Lordegan’s kind (${kind})`);
    await chip.uncheck();
    const expected = sorted(new Set(features.filter((f) => f.properties.kind !== kind).flatMap(markIdsOf)));
    assert.deepEqual(await shownMarkIds(page), expected, `without “${kind}”: the places with other kinds of events`);
    assert.ok(page.url().includes('kinds='), 'the URL keeps the kinds');
    await chip.check();
    assert.deepEqual(await shownMarkIds(page), located, 'every mark again');
    assertClean(log, 'map kinds');
  });

  test('the URL reproduces the view: dates, kinds, zoom and the popup', async () => {
    const { page, log } = await openMap();
    const days = await page.evaluate(() => window.RUZSHOMAR_MAP.days);
    const day = days.indexOf(lordegan[0].properties.date);
    const whole = await page.getAttribute('#map', 'viewBox');
    // Dates: from Lordegan's day on.
    await page.focus('#mc-from');
    for (let i = 0; i < day; i++) await page.keyboard.press('ArrowRight');
    // Kinds: drop one that is not Lordegan's.
    const other = page.locator(`#mc-chips label:not(.kind-${lordegan[0].properties.kind}) input`).first();
    await other.uncheck();
    // Zoom in twice, pan once.
    await page.click('#map-zoom button[data-z="in"]');
    await page.click('#map-zoom button[data-z="in"]');
    await page.focus('#map');
    await page.keyboard.press('ArrowDown');
    // Lordegan's popup, opened from the keyboard.
    await page.focus('.mark[data-id="lordegan"]');
    await page.keyboard.press('Enter');
    await popupOpen(page);
    await page.waitForTimeout(400); // the URL follows the sliders and pans after 300 ms
    const url = page.url();
    for (const key of ['from', 'kinds', 'z', 'place']) assert.match(new URL(url).hash, new RegExp(`[#&]${key}=`), `the URL keeps ${key}: ${url}`);
    const state = await mapState(page);
    assert.notEqual(state.from, '0', 'the view has a start date');
    assert.ok(state.hidden.length > 0, 'the view hides some marks');
    assert.ok(state.popup?.events.length > 0, 'the view has a popup');
    assert.notEqual(state.viewBox, whole, 'the view is zoomed in');

    // The same URL in a new reader's browser.
    const fresh = await openReader(browser, { viewport: DESKTOP });
    contexts.push(fresh.context);
    await fresh.page.goto(url);
    await mapReady(fresh.page);
    await popupOpen(fresh.page);
    assert.deepEqual(await mapState(fresh.page), state, `${url} shows the same view`);
    assertClean(log, 'map view');
    assertClean(fresh.log, 'map view reloaded');
  });

  test('the keyboard: Enter opens a mark’s popup, Escape closes it and returns focus', async () => {
    const { page, log } = await openMap();
    // Tab reaches the marks.
    await page.focus('#map');
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => document.activeElement.closest('.mark') !== null), 'Tab from the map reaches a mark');

    await page.focus('.mark[data-id="lordegan"]');
    await page.keyboard.press('Enter');
    await popupOpen(page);
    assert.ok(page.url().endsWith('map/index.html#place=lordegan'), `Enter opens the popup, the page stays: ${page.url()}`);
    assert.ok(await page.evaluate(() => document.getElementById('map-popup').contains(document.activeElement)), 'focus moves into the popup');
    await page.keyboard.press('Escape');
    assert.ok(await page.locator('#map-popup').isHidden(), 'Escape closes the popup');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-id')), 'lordegan', 'focus is back on the mark');
    assert.ok(!page.url().includes('place='), `the URL forgets the place: ${page.url()}`);

    await page.keyboard.press(' ');
    await popupOpen(page);
    await page.click('#map-popup .mp-close');
    assert.ok(await page.locator('#map-popup').isHidden(), 'the close button closes the popup');
    assertClean(log, 'map keyboard');
  });

  test('zoom and pan change the view: buttons, keys, wheel and drag', async () => {
    const { page, log } = await openMap();
    const whole = await viewBox(page);
    const width = async () => (await viewBox(page))[2];
    await page.click('#map-zoom button[data-z="in"]');
    const zoomed = await width();
    assert.ok(zoomed < whole[2], `“zoom in” narrows the view (${whole[2]} → ${zoomed})`);
    await page.click('#map-zoom button[data-z="out"]');
    assert.ok((await width()) > zoomed, '“zoom out” widens it');
    await page.click('#map-zoom button[data-z="in"]');
    await page.click('#map-zoom button[data-z="reset"]');
    assert.deepEqual(await viewBox(page), whole, '“whole map” shows all of it again');

    await page.focus('#map');
    await page.keyboard.press('+');
    const w1 = await width();
    assert.ok(w1 < whole[2], '+ zooms in');
    const before = await viewBox(page);
    await page.keyboard.press('ArrowRight');
    const panned = await viewBox(page);
    assert.ok(panned[0] > before[0], `→ moves the view east (${before[0]} → ${panned[0]})`);
    await page.keyboard.press('-');
    assert.ok((await width()) > w1, '− zooms out');
    await page.keyboard.press('0');
    assert.deepEqual(await viewBox(page), whole, '0 shows the whole map');

    // The wheel zooms about the cursor: the mark under it stays there, on the map. (Measured
    // from the map's corner: once the zoom is at its limit, the rest of a wheel gesture scrolls
    // the page, as it should.)
    const centre = (id) => page.$eval(`.mark[data-id="${id}"] circle`, (c) => {
      const r = c.getBoundingClientRect(), map = c.ownerSVGElement.getBoundingClientRect();
      return [r.x + r.width / 2 - map.x, r.y + r.height / 2 - map.y];
    });
    // Focusing the map scrolled it into view, smoothly: wait for the page to stop moving.
    for (let last = -1, now = 0; now !== last; await page.waitForTimeout(100)) {
      last = now;
      now = await page.evaluate(() => window.scrollY);
    }
    const corner = await page.$eval('#map', (m) => { const r = m.getBoundingClientRect(); return [r.x, r.y]; });
    const [x, y] = await centre('lordegan');
    await page.mouse.move(corner[0] + x, corner[1] + y);
    await page.mouse.wheel(0, -400);
    // Chromium may deliver one wheel gesture as several events: wait until the view settles
    // (unchanged for 300 ms: on a busy machine the events come slowly).
    let settled = await viewBox(page);
    for (let i = 0, still = 0; i < 100 && still < 6; i++) {
      await page.waitForTimeout(50);
      const now = await viewBox(page);
      still = now.join() === settled.join() && now[2] < whole[2] ? still + 1 : 0;
      settled = now;
    }
    assert.ok((await width()) < whole[2], 'the wheel zooms in');
    const [x2, y2] = await centre('lordegan');
    assert.ok(Math.hypot(x2 - x, y2 - y) < 3, `the mark under the cursor stays there (moved ${Math.hypot(x2 - x, y2 - y).toFixed(1)} px)`);

    // A drag pans and does not open a popup.
    const box = await page.locator('#map').boundingBox();
    const v0 = await viewBox(page);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 100, box.y + box.height / 2 - 50, { steps: 5 });
    await page.mouse.up();
    const v1 = await viewBox(page);
    assert.ok(v1[0] > v0[0] && v1[1] > v0[1], `dragging up-left moves the view down-right (${v0} → ${v1})`);
    assert.ok(await page.locator('#map-popup').isHidden(), 'a drag opens no popup');
    assertClean(log, 'map zoom');
  });

  test('a period from the menu shows the places of that period', async () => {
    const { page, log } = await openMap();
    const periods = await page.evaluate(() => window.RUZSHOMAR_MAP.periods);
    const options = await page.$$eval('#mc-period option', (os) => os.map((o) => o.value));
    for (const p of periods) {
      if (!options.includes(p.id)) continue; // a period without located events
      await page.selectOption('#mc-period', p.id);
      const expected = placesBetween(features, p.start, p.end ?? '9999-12-31');
      assert.deepEqual(await shownMarkIds(page), expected, `period ${p.id}: the places with events from ${p.start} to ${p.end ?? 'now'}`);
      assert.match(squash(await page.textContent('#mc-shown')), new RegExp(`^\\D*${expected.length}\\D`), `period ${p.id}: the count says ${expected.length}`);
    }
    assert.ok(options.filter((o) => periods.some((p) => p.id === o)).length >= 1, 'the menu offers at least one period');
    assertClean(log, 'map periods');
  });

  test('on a phone: a tap just beside a small mark opens it, two fingers zoom, one finger pans', async () => {
    const { context, page, log } = await openMap('map/index.html', { viewport: VIEWPORT, hasTouch: true, isMobile: true });
    await page.locator('#map').scrollIntoViewIfNeeded();
    const circle = await page.locator('.mark[data-id="lordegan"] circle').boundingBox();
    await page.touchscreen.tap(circle.x + circle.width / 2 + 6, circle.y + circle.height / 2 + 4);
    await popupOpen(page);
    assert.equal(squash(await page.textContent('#map-popup-title')), await page.getAttribute('.mark[data-id="lordegan"]', 'data-name'), 'the tap opened Lordegan');
    await page.click('#map-popup .mp-close');

    const cdp = await context.newCDPSession(page);
    const touch = (type, touchPoints) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints });
    const box = await page.locator('#map').boundingBox();
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    const whole = await viewBox(page);
    const pair = (d) => [{ x: cx - d, y: cy, id: 1 }, { x: cx + d, y: cy, id: 2 }];
    await touch('touchStart', pair(20));
    for (let d = 25; d <= 80; d += 5) await touch('touchMove', pair(d));
    await touch('touchEnd', []);
    const pinched = await viewBox(page);
    const zoom = whole[2] / pinched[2];
    assert.ok(zoom > 3 && zoom < 4.5, `spreading two fingers fourfold zooms about fourfold (×${zoom.toFixed(2)})`);
    await touch('touchStart', [{ x: cx, y: cy, id: 1 }]);
    for (let d = 5; d <= 60; d += 5) await touch('touchMove', [{ x: cx + d, y: cy + d / 2, id: 1 }]);
    await touch('touchEnd', []);
    const panned = await viewBox(page);
    assert.ok(panned[0] < pinched[0] && panned[1] < pinched[1], `dragging down-right shows what lies up-left (${pinched} → ${panned})`);
    assert.ok(await page.locator('#map-popup').isHidden(), 'the gestures open no popup');
    await page.waitForTimeout(400);
    assert.match(page.url(), /[#&]z=/, 'the URL keeps the zoom');
    assertClean(log, 'map on a phone');
  });

  test('when a place’s details cannot load, its mark leads to the place’s page', async () => {
    const { page, log } = await openMap();
    await page.route('**/map/places/lordegan.js', (route) => route.abort());
    await Promise.all([page.waitForURL(/\/cities\/lordegan\/index\.html$/), page.click('.mark[data-id="lordegan"]')]);
    assert.ok(await page.locator('main h1').isVisible(), 'Lordegan’s page is shown');
    // The aborted script is the point of this test; nothing else may fail.
    const failed = log.failed.filter((r) => !r.url.endsWith('/map/places/lordegan.js'));
    assert.deepEqual(failed, [], 'other failed requests');
    assert.deepEqual(log.pageErrors, [], 'uncaught errors');
  });

  // WCAG 2.1 1.4.11 (non-text contrast), which axe-core does not check: each mark needs an edge
  // of at least 3:1 against the colour next to it, or a reader cannot find it on the map. The map
  // is photographed at twice the pixel density with labels and zoom buttons hidden, a few marks
  // at a time, none near another; a mark's edge contrast is the highest contrast between two
  // pixels 2 device pixels apart within it and 2 CSS px around it: fill against outline, ring
  // against halo, or either against the province beneath.
  for (const colorScheme of ['light', 'dark']) {
    for (const js of [true, false]) {
      test(`every mark stands out from the map (edge contrast ≥ 3:1), ${colorScheme} scheme, ${js ? 'with' : 'without'} JavaScript`, async () => {
        const { page, log } = await openMap('map/index.html', { colorScheme, deviceScaleFactor: 2, javaScriptEnabled: js });
        const decoder = await page.context().newPage();
        const marks = await page.$eval('#map', (svg) => {
          svg.querySelectorAll('.labels').forEach((el) => { el.style.visibility = 'hidden'; });
          document.getElementById('map-zoom').style.visibility = 'hidden';
          const o = svg.getBoundingClientRect();
          return [...svg.querySelectorAll('.mark')].map((a) => {
            const r = a.querySelector('circle').getBoundingClientRect();
            return { id: a.dataset.id, cls: a.getAttribute('class'), x: r.x - o.x + r.width / 2, y: r.y - o.y + r.height / 2, r: r.width / 2 };
          });
        });
        // Groups of marks far enough apart to be photographed together.
        const groups = [];
        for (const m of marks) {
          const apart = (g) => g.every((n) => Math.hypot(m.x - n.x, m.y - n.y) > m.r + n.r + 12);
          const g = groups.find(apart);
          if (g) g.push(m); else groups.push([m]);
        }
        const edges = [];
        for (const group of groups) {
          const ids = group.map((m) => m.id);
          await page.$eval('#map', (svg, ids) => svg.querySelectorAll('.mark').forEach((a) => { a.style.visibility = ids.includes(a.dataset.id) ? 'visible' : 'hidden'; }), ids);
          const png = await page.locator('#map').screenshot();
          edges.push(...await decoder.evaluate(async ({ b64, group }) => {
            const img = new Image();
            img.src = `data:image/png;base64,${b64}`;
            await img.decode();
            const canvas = document.createElement('canvas');
            [canvas.width, canvas.height] = [img.width, img.height];
            const g = canvas.getContext('2d');
            g.drawImage(img, 0, 0);
            const { data, width: w } = g.getImageData(0, 0, img.width, img.height);
            const lin = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
            const lum = (x, y) => { const i = (y * w + x) * 4; return 0.2126 * lin(data[i]) + 0.7152 * lin(data[i + 1]) + 0.0722 * lin(data[i + 2]); };
            const ratio = (a, b) => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
            const dpr = 2;
            return group.map((m) => {
              const [cx, cy, R] = [m.x * dpr, m.y * dpr, (m.r + 2) * dpr];
              let best = 1;
              for (let y = Math.max(0, Math.floor(cy - R)); y <= Math.min(img.height - 3, cy + R); y++) {
                for (let x = Math.max(0, Math.floor(cx - R)); x <= Math.min(img.width - 3, cx + R); x++) {
                  if (Math.hypot(x - cx, y - cy) > R) continue;
                  const l = lum(x, y);
                  best = Math.max(best, ratio(l, lum(x + 2, y)), ratio(l, lum(x, y + 2)));
                }
              }
              return { ...m, edge: best };
            });
          }, { b64: png.toString('base64'), group }));
        }
        assert.equal(edges.length, located.length, 'every mark was measured');
        const weak = edges.filter((m) => m.edge < 3).map((m) => `${m.id} (${m.cls}): ${m.edge.toFixed(2)}:1`);
        assert.deepEqual(weak, [], `marks without an edge of 3:1 contrast (${colorScheme}, ${js ? 'with' : 'without'} JavaScript)`);
        assert.deepEqual(problems(log), [], 'errors');
      });
    }
  }

  for (const edition of [{ lang: 'en', home: '' }, { lang: 'fa', home: 'fa/' }]) {
    test(`without JavaScript (${edition.lang}): the map, its legend and a link per mark`, async () => {
      const { page, log } = await openMap(`${edition.home}map/index.html`, { javaScriptEnabled: false });
      assert.ok(await page.locator('#map').isVisible(), 'the map is shown');
      assert.ok((await page.locator('#map .province').count()) > 0, 'the map draws the provinces');
      assert.ok(await page.locator('.map-legend').isVisible(), 'the legend is shown');
      const legend = page.locator('.legend-kinds a');
      assert.ok((await legend.count()) > 0, 'the legend lists the kinds');
      for (const a of await legend.all()) assert.ok(await a.isVisible(), `legend entry “${await a.textContent()}” is visible`);
      assert.ok(await page.locator('#map-controls').isHidden(), 'the filters (which need the script) are hidden');
      assert.ok(await page.locator('#map-zoom').isHidden(), 'the zoom buttons (which need the script) are hidden');

      assert.deepEqual(await allMarkIds(page), located, 'one mark per located place');
      assert.deepEqual(await shownMarkIds(page), located, 'every mark is visible');
      const links = await page.$$eval('#map .mark', (as) => as.map((a) => ({ id: a.dataset.id, tag: a.localName, href: a.href?.baseVal !== undefined ? new URL(a.href.baseVal, document.baseURI).href : a.href })));
      for (const l of links) {
        assert.equal(l.tag, 'a', `mark ${l.id} is a link`);
        const rel = fileOf(l.href);
        assert.match(rel, new RegExp(`^${edition.home}(cities|provinces)/`), `mark ${l.id} links to a place page (${rel})`);
        assert.ok(await fileExists(site.root, rel), `mark ${l.id} links to ${rel}, which exists`);
      }
      await screenshot(page, `map-${edition.lang}-desktop-nojs`);
      await Promise.all([page.waitForURL(/\/cities\/lordegan\/index\.html$/), page.click('.mark[data-id="lordegan"]')]);
      assert.ok((await page.locator('main h1').innerText()).length > 0, 'the mark leads to Lordegan’s page');
      assertClean(log, `map without JavaScript (${edition.lang})`);
    });
  }

  test('the Persian edition: the same marks, Persian digits, a Persian popup', async () => {
    const { page, log } = await openMap('fa/map/index.html');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    assert.deepEqual(await allMarkIds(page), located, 'the marks are the places of the GeoJSON');
    assert.deepEqual(await shownMarkIds(page), located, 'every mark is visible');
    const shown = squash(await page.textContent('#mc-shown'));
    assert.ok(shown.includes(toPersianDigits(located.length)), `the count is in Persian digits: ${shown}`);
    assert.doesNotMatch(shown, LATIN_DIGIT, `no Latin digits in the count: ${shown}`);
    await screenshot(page, 'map-fa-desktop');

    await page.click('.mark[data-id="lordegan"]');
    await popupOpen(page);
    const name = lordegan[0].properties.places.find((p) => p.id === 'lordegan')?.name_fa;
    const title = squash(await page.textContent('#map-popup-title'));
    assert.match(title, PERSIAN, `the popup is headed in Persian: ${title}`);
    if (name) assert.equal(title, name, 'the popup is headed by the place’s Persian name');
    assert.equal(await page.locator('#map-popup .mp-events > li').count(), lordegan.length, 'one entry per event');
    assert.ok(log.requests.some((r) => r.url === `${site.base}map/places/lordegan.js`), 'the Persian map loads the place’s details from the file both editions share');
    assert.ok(!log.requests.some((r) => r.url.includes('/fa/map/places/')), 'no Persian copy of the place’s details is asked for');
    assert.match(await page.locator('#map-popup time').first().innerText(), PERSIAN_DIGIT, 'dates in Persian digits');
    for (const href of await page.locator('#map-popup a.mp-title').evaluateAll((as) => as.map((a) => a.href))) {
      const rel = fileOf(href);
      assert.match(rel, /^fa\/events\//, `the event link stays in the Persian edition: ${rel}`);
      assert.ok(await fileExists(site.root, rel), `${rel} exists`);
    }
    const sources = await page.locator('#map-popup .mp-src a').evaluateAll((as) => as.map((a) => [a.href, a.rel]));
    assert.ok(sources.length > 0 && sources.every(([h, r]) => h.startsWith('https://') && r.includes('noopener')), 'the sources are https links with rel=noopener');
    await screenshot(page, 'map-fa-desktop-popup');
    assertClean(log, 'Persian map');
  });

  test('screenshots: map, popup, city page and timeline, desktop and phone, English and Persian', { skip: !SCREENSHOT_DIR && 'SCREENSHOT_DIR is not set' }, async () => {
    const timeline = 'timeline/uprising-2025/index.html';
    for (const [width, viewport] of [['desktop', DESKTOP], ['phone', VIEWPORT]]) {
      for (const { lang, home } of [{ lang: 'en', home: '' }, { lang: 'fa', home: 'fa/' }]) {
        const { page, log } = await openMap(`${home}map/index.html`, { viewport });
        await page.waitForTimeout(300);
        await screenshot(page, `${lang}-${width}-map`, { fullPage: width === 'phone' });
        if (width === 'phone') await page.locator('#map').scrollIntoViewIfNeeded();
        await page.focus('.mark[data-id="lordegan"]');
        await page.keyboard.press('Enter');
        await popupOpen(page);
        await page.waitForTimeout(300);
        await screenshot(page, `${lang}-${width}-map-popup`);
        for (const [name, rel] of [['city', 'cities/lordegan/index.html'], ['timeline', timeline]]) {
          await page.goto(`${site.base}${home}${rel}`);
          await screenshot(page, `${lang}-${width}-${name}`, { fullPage: name === 'city' });
          if (name === 'timeline') {
            const heat = page.locator('.heatmap').first();
            assert.ok(await heat.isVisible(), 'the timeline shows its heat map');
            await heat.scrollIntoViewIfNeeded();
            await screenshot(page, `${lang}-${width}-timeline-heatmap`);
          }
        }
        assertClean(log, `screenshots ${lang} ${width}`);
      }
    }
    // Dark colour scheme: the map with a popup, and the timeline.
    for (const { lang, home } of [{ lang: 'en', home: '' }, { lang: 'fa', home: 'fa/' }]) {
      const { page, log } = await openMap(`${home}map/index.html#place=lordegan`, { colorScheme: 'dark' });
      await popupOpen(page);
      await page.waitForTimeout(300);
      await screenshot(page, `${lang}-desktop-dark-map-popup`);
      await page.goto(`${site.base}${home}${timeline}`);
      await screenshot(page, `${lang}-desktop-dark-timeline`);
      assertClean(log, `dark screenshots ${lang}`);
    }
  });
});
