// Hostile content in headless Chromium (issue 9): a site whose every free-text field carries
// markup, scripts and event handlers that `ruzshomar check` accepts — because they are text —
// built under a base URL full of characters that need escaping (`&amp;`, `&lt;`, `;`, `=`, `(`…),
// then opened page by page with a probe that would catch any script or element let through.
//
// The site: the repository's site.toml, data/ and themes/ copied to a temporary folder, with
//   - base_url (and --base-url at build) `http://127.0.0.1:<port>/repo&amp;q=1;x=&lt;xss-probe&gt;…/`,
//     the path the test server serves the site under (the 404 page's links use it);
//   - a city (data/gazetteer/cities.yaml) and a publisher (data/publishers.yaml) with hostile
//     names, address and note;
//   - two events written here (see EVENTS) with payloads in title, summary (Markdown that stays
//     text: backslash-escaped tags, code spans and blocks, entities, a link address with quotes, a
//     link title, an autolink, RTL override), place, source title, address, author and archive
//     address, figure `who` and note, correction note and the Persian title, summary and place.
//     The second event has no Persian text, so the Persian edition has no page for it: its lists
//     say so with one link to the same list in English, and its map popup links the English page.
// Every payload names the probe: an element `<xss-probe>`, an attribute `data-xss-probe`, handlers
// and scripts (HTML, and XHTML for the XML files, which get no Content-Security-Policy) that set
// `window.__xss = 1` and `document.title = 'XSS'`.
//
// Opened: every file the build wrote that a browser shows (each HTML page of both editions, the
// Atom feeds, sitemap.xml, robots.txt, the open data's manifest data/index.json), the map with the
// hostile place's popup open, the search page with the hostile events found, and the 404 page
// at a missing address. On each:
// `window.__xss` is unset, the title is not 'XSS', no `xss-probe` element, no `data-xss-probe`
// attribute, no `on…` attribute, no `javascript:` address, no script that is not a file of the
// site, no XML parse error, no CSP violation, page error, failed request or request elsewhere —
// and the payloads are there as text where a reader looks for them (the event's heading, its
// place, sources, figures, corrections, the popup, the feed's entry titles, the sitemap's
// addresses…), so a page that dropped them would fail too. The open data itself (data/<year>.json.gz,
// .geojson.gz, .csv.gz) is downloaded from the data page's links, not shown: the files are
// unpacked and the payloads checked as data, and the CSV's formulas as defused.
//
// The last tests build a scratch copy whose theme undoes escaping in three places (an event's
// title in event.html and atom.xml, `esc()` in the map's popup) and check that the same probe
// catches each: the element, its handlers, the script (in the feed it runs: XML gets no CSP).
//
//   RUZSHOMAR_BIN=target/debug/ruzshomar node --test tests/browser/hostile.test.mjs

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  EXPORTS_DIR, REPO, foreignRequests, launchBrowser, openReader, problems, readExports, ruzshomar, siteFiles, startSite, uiText,
} from './harness.mjs';

// --- the payloads ------------------------------------------------------------------------------

/** The path the hostile site is served under: legal in a base_url, but it needs escaping. */
const HOSTILE_PREFIX = '/repo&amp;q=1;x=&lt;xss-probe&gt;&(a)!$*,@~+/';

const SCRIPT = `<script>window.__xss=1;document.title='XSS'</script>`;
const XHTML_SCRIPT = `<script xmlns="http://www.w3.org/1999/xhtml">window.__xss=1</script>`;

/**
 * A line of text that would be markup if a page let it through: well-formed XML (so that in an
 * XML file the XHTML script would run) and HTML, with characters that end attributes.
 */
const payload = (word) => `${word} <xss-probe data-xss-probe="1" onmouseover="window.__xss=1">${word}</xss-probe>${XHTML_SCRIPT}${SCRIPT}<img src="x" onerror="window.__xss=1"/> "'&amp; \u202E${word}`;

/** The same in Persian, with a right-to-left override. */
const payloadFa = (word) => `${word} \u202E<xss-probe data-xss-probe="1" onclick="window.__xss=1">${word}</xss-probe>${XHTML_SCRIPT}${SCRIPT} «"'&amp;»`;

const CITY = {
  id: 'xss-probe-town',
  name: payload('Town'),
  name_fa: payloadFa('شهر'),
};
const PUBLISHER = {
  id: 'xss-probe-press',
  name: payload('Press'),
  name_fa: payloadFa('نشر'),
  url: 'https://press.example.org/"onmouseover="window.__xss=1',
  note: payload('Note'),
};

const DATE = '2026-01-21';

/**
 * The hostile events, and what a reader must see of them: `shownSummary`, text (not markup) that
 * the Markdown makes of the summary; `links`, the summary's links (text, href, title attributes).
 */
const EVENTS = [
  {
    id: `${DATE}-xss-probe-a`,
    title: payload('TitleA'),
    place: payload('PlaceA'),
    summary: [
      "Escaped tags: \\<script>window.__xss=1;document.title='XSS'\\</script> and \\<xss-probe data-xss-probe>.",
      '',
      'A code span `<img src=x onerror="window.__xss=1">`, entities &lt;xss-probe data-xss-probe onclick="window.__xss=1"&gt; and &amp;lt;script&amp;gt;, and a [link](https://a.org/"onmouseover="window.__xss=1) with quotes in its address.',
      '',
      '```',
      '</textarea><xss-probe data-xss-probe>"\'</xss-probe><script>window.__xss=1</script>',
      '```',
    ].join('\n'),
    shownSummary: [
      "Escaped tags: <script>window.__xss=1;document.title='XSS'</script> and <xss-probe data-xss-probe>.",
      '<img src=x onerror="window.__xss=1">',
      'entities <xss-probe data-xss-probe onclick="window.__xss=1"> and &lt;script&gt;, and a link with quotes',
      '</textarea><xss-probe data-xss-probe>"\'</xss-probe><script>window.__xss=1</script>',
    ],
    links: [{ text: 'link', href: 'https://a.org/%22onmouseover=%22window.__xss=1' }],
    source: {
      url: 'https://a.org/<xss-probe>?a=1&b="onmouseover="window.__xss=1',
      title: payload('SourceA'),
      author: payload('AuthorA'),
      archive_url: 'https://web.archive.org/web/"onclick="window.__xss=1',
    },
    // `who` is a slug (check refuses anything else); the note carries the payload.
    figure: { who: 'night-guards', note: payload('FigureA') },
    correction: payload('CorrectionA'),
    fa: {
      title: payloadFa('عنوان'),
      place: payloadFa('مکان'),
      summary: 'متن با وارونه‌ساز \u202E و \\<xss-probe data-xss-probe>ف\\</xss-probe> و `<script>window.__xss=1</script>`.',
      shownSummary: ['متن با وارونه‌ساز \u202E و <xss-probe data-xss-probe>ف</xss-probe> و <script>window.__xss=1</script>.'],
    },
  },
  {
    // No translation: the Persian edition has no page for it (its lists link to the English
    // ones). Its title starts with `=` (a spreadsheet formula, which the CSV must defuse).
    id: `${DATE}-xss-probe-b`,
    title: `=HYPERLINK("https://a.org/") ${payload('TitleB')}`,
    place: payload('PlaceB'),
    summary: [
      'A [link title](https://a.org/t "\\" onmouseover=\\"window.__xss=1") and an autolink <https://a.org/?q="onmouseover=window.__xss=1>.',
      '',
      '> \\<xss-probe data-xss-probe>quoted\\</xss-probe> &#60;script&#62;window.__xss=1&#60;/script&#62;',
    ].join('\n'),
    shownSummary: [
      'A link title and an autolink https://a.org/?q="onmouseover=window.__xss=1.',
      '<xss-probe data-xss-probe>quoted</xss-probe> <script>window.__xss=1</script>',
    ],
    links: [
      { text: 'link title', href: 'https://a.org/t', title: '" onmouseover="window.__xss=1' },
      { text: 'https://a.org/?q="onmouseover=window.__xss=1', href: 'https://a.org/?q=%22onmouseover=window.__xss=1' },
    ],
    source: { url: 'https://www.ncr-iran.org/en/?p=341153&x="><xss-probe>', title: payload('SourceB'), publisher: 'ncri' },
  },
];

const q = (s) => JSON.stringify(s); // a YAML double-quoted scalar (YAML is a superset of JSON)

/** The YAML file of an event of EVENTS. */
function eventYaml(e) {
  const lines = [
    `title: ${q(e.title)}`,
    `date: ${DATE}`,
    `city: ${CITY.id}`,
    `place: ${q(e.place)}`,
    'kind: protest',
    'tags: [xss-probe]',
    `summary: ${q(e.summary)}`,
    'sources:',
    `  - url: ${q(e.source.url)}`,
    `    title: ${q(e.source.title)}`,
    `    publisher: ${e.source.publisher ?? PUBLISHER.id}`,
    `    published: ${DATE}`,
  ];
  if (e.source.author) lines.push(`    author: ${q(e.source.author)}`);
  if (e.source.archive_url) lines.push(`    archive_url: ${q(e.source.archive_url)}`);
  if (e.figure) {
    lines.push('figures:', '  - what: killed', '    count: 3', `    who: ${q(e.figure.who)}`, `    according_to: ${PUBLISHER.id}`, `    note: ${q(e.figure.note)}`);
  }
  if (e.correction) lines.push('updated: 2026-01-22', 'corrections:', '  - date: 2026-01-22', `    note: ${q(e.correction)}`);
  if (e.fa) lines.push('translations:', '  fa:', `    title: ${q(e.fa.title)}`, `    summary: ${q(e.fa.summary)}`, `    place: ${q(e.fa.place)}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Writes the hostile site into `dir` (see the top of the file); `base` is its base_url.
 * `breaks` are edits [file under themes/default/, text, replacement] made to the theme's copy
 * (for the test of the probe).
 */
async function writeHostileSite(dir, base, { breaks = [] } = {}) {
  for (const item of ['data', 'themes']) await cp(path.join(REPO, item), path.join(dir, item), { recursive: true });
  const toml = await readFile(path.join(REPO, 'site.toml'), 'utf8');
  assert.match(toml, /^base_url = ".*"$/m, 'site.toml has a base_url line');
  await writeFile(path.join(dir, 'site.toml'), toml.replace(/^base_url = ".*"$/m, `base_url = ${q(base)}`));
  await appendFile(path.join(dir, 'data', 'gazetteer', 'cities.yaml'), [
    `- id: ${CITY.id}`, `  name: ${q(CITY.name)}`, `  name_fa: ${q(CITY.name_fa)}`, '  province: tehran',
    '  lat: 35.6', '  lon: 51.3', '  population: 1000', '  geonames: 999999999', '  aliases: []', '',
  ].join('\n'));
  await appendFile(path.join(dir, 'data', 'publishers.yaml'), [
    '', `- id: ${PUBLISHER.id}`, `  name: ${q(PUBLISHER.name)}`, `  name_fa: ${q(PUBLISHER.name_fa)}`,
    `  url: ${q(PUBLISHER.url)}`, '  affiliation: other', `  note: ${q(PUBLISHER.note)}`, '',
  ].join('\n'));
  const events = path.join(dir, 'content', 'events', DATE.slice(0, 4), DATE.slice(5, 7));
  await mkdir(events, { recursive: true });
  for (const e of EVENTS) await writeFile(path.join(events, `${e.id}.yaml`), eventYaml(e));
  for (const [rel, from, to] of breaks) {
    const file = path.join(dir, 'themes', 'default', ...rel.split('/'));
    const text = await readFile(file, 'utf8');
    assert.ok(text.includes(from), `${rel} has ${from}`);
    await writeFile(file, text.replace(from, to));
  }
}

/** Builds and serves the hostile site (after `check` accepts it). */
async function startHostileSite(options) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ruzshomar-hostile-'));
  try {
    await writeHostileSite(dir, `https://example.org${HOSTILE_PREFIX}`, options);
    const checked = await ruzshomar(['check', '--root', dir]);
    assert.match(checked, /check passed: no problems/, `check accepts the hostile site:\n${checked}`);
    const site = await startSite({ siteRoot: dir, prefix: HOSTILE_PREFIX });
    const close = site.close;
    site.close = async () => {
      await close();
      await rm(dir, { recursive: true, force: true });
    };
    return site;
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}

// --- the probe ---------------------------------------------------------------------------------

/**
 * What a document shows of a script or element that got through, as readable lines ([] when
 * none). `base` is the site's address: every script must be a file under it.
 */
async function leaks(page, base) {
  return page.evaluate((base) => {
    const out = [];
    if (window.__xss !== undefined) out.push(`window.__xss is ${window.__xss}: a script ran`);
    if (document.title === 'XSS') out.push('document.title is XSS: a script ran');
    const all = [...document.getElementsByTagName('*')];
    const probes = all.filter((el) => el.localName === 'xss-probe');
    if (probes.length) out.push(`${probes.length} <xss-probe> element(s): ${probes[0].outerHTML.slice(0, 120)}`);
    for (const el of all) {
      for (const a of el.attributes) {
        if (a.name === 'data-xss-probe') out.push(`<${el.localName}> has data-xss-probe`);
        if (/^on/i.test(a.localName)) out.push(`<${el.localName}> has a handler ${a.name}="${a.value.slice(0, 60)}"`);
        if (/^javascript:/i.test(a.value.replace(/[\s\0-\x1f]/g, ''))) out.push(`<${el.localName} ${a.name}> is a javascript: address`);
      }
      if (el.localName === 'script') {
        const src = el.getAttribute('src');
        if (!src) out.push(`an inline <script> (${el.namespaceURI}): ${el.textContent.slice(0, 60)}`);
        else if (!el.src.startsWith(base)) out.push(`a <script> from ${el.src}`);
      }
      if (el.localName === 'parsererror') out.push(`an XML parse error: ${el.textContent.slice(0, 200)}`);
    }
    return out;
  }, base);
}

/**
 * Opens `rel` (a path under `site`, as startSite returns it; a missing one gets the 404 page)
 * in a reader (see openReader), runs `look(page)` (its assertions on what the page shows), and
 * returns everything wrong as lines: a failed look, the probe's findings, the log's problems,
 * requests elsewhere.
 */
async function visit(site, { page, log }, rel, look = async () => {}, { status = 200 } = {}) {
  const url = `${site.base}${rel}`;
  const mark = { c: log.consoleErrors.length, p: log.pageErrors.length, v: log.cspViolations.length, f: log.failed.length, h: log.httpErrors.length, r: log.requests.length };
  const response = await page.goto(url);
  assert.equal(response?.status(), status, `${rel}: status`);
  // What the page shows of the payloads; then, whatever that found, what got through.
  const failed = (e) => e.message.split('\n')[0];
  const found = await look(page).then(() => [], (e) => [failed(e).startsWith(rel) ? failed(e) : `${rel}: ${failed(e)}`]);
  found.push(...(await leaks(page, site.base)).map((l) => `${rel}: ${l}`));
  const missing = status === 404;
  const slice = {
    // Chromium asks for /favicon.ico beside a document that names no icon (XML, JSON, text).
    consoleErrors: log.consoleErrors.slice(mark.c).filter((e) => !(missing && /404/.test(e.text) && (e.at ?? url) === url) && e.at !== `${site.origin}/favicon.ico`),
    pageErrors: log.pageErrors.slice(mark.p),
    cspViolations: log.cspViolations.slice(mark.v),
    failed: log.failed.slice(mark.f),
    httpErrors: log.httpErrors.slice(mark.h).filter((e) => !(missing && e.url === url)),
  };
  found.push(...problems(slice).map((p) => `${rel}: ${p}`));
  const requests = log.requests.slice(mark.r);
  found.push(...foreignRequests({ requests }, site.origin).map((r) => `${rel}: request to another origin: ${r.url}`));
  found.push(...requests.filter((r) => !r.url.startsWith(site.base)).map((r) => `${rel}: request outside the site: ${r.url}`));
  return found;
}

/** Fails with every line of `found` (what got through, what is missing) unless it is empty. */
function none(found, what) {
  assert.ok(found.length === 0, `${what}:\n${found.join('\n')}`);
}

/** The text of every element matching `selector` (in any namespace of an XML document too). */
const texts = (page, selector) => page.$$eval(selector, (els) => els.map((el) => el.textContent));

/** Whether the edition in `lang` has a page of its own for the event (Persian: only with Persian text). */
const hasPage = (lang, e) => lang === 'en' || Boolean(e.fa);

/** The events with a page in the edition of `lang`. */
const paged = (lang) => EVENTS.filter((e) => hasPage(lang, e));

/** The HTML pages whose heading (`main h1`) shows a payload, as text: path → text. */
function headings(lang) {
  const home = lang === 'en' ? '' : 'fa/';
  const city = lang === 'en' ? CITY.name : CITY.name_fa;
  const publisher = lang === 'en' ? PUBLISHER.name : PUBLISHER.name_fa;
  const out = new Map([
    [`${home}cities/${CITY.id}/index.html`, city],
    [`${home}publishers/${PUBLISHER.id}/index.html`, publisher],
  ]);
  for (const e of paged(lang)) out.set(`${home}events/${e.id}/index.html`, lang === 'fa' ? e.fa.title : e.title);
  return out;
}

/** The titles of the hostile events as an edition shows them (the original for an untranslated one). */
const titles = (lang, events = EVENTS) => events.map((e) => (lang === 'fa' && e.fa ? e.fa.title : e.title));

/** The titles of the events an edition has pages for: what its lists and feeds show. */
const pageTitles = (lang) => titles(lang, paged(lang));

/**
 * The Persian lists that hold an event without Persian text (the second event, whose source
 * names NCRI), which they leave out with one notice linking the same list in English:
 * Persian path → English path.
 */
const ELSEWHERE = new Map([
  `days/${DATE}/index.html`, `cities/${CITY.id}/index.html`, 'provinces/tehran/index.html',
  'tags/xss-probe/index.html', 'kinds/protest/index.html', 'publishers/ncri/index.html',
].map((rel) => [`fa/${rel}`, rel]));

/**
 * The HTML pages that show hostile text in `main`, beside their heading: path → the texts (the
 * events they list by title, the place's and publisher's names, the publisher's note and address).
 */
function listings(lang) {
  const home = lang === 'en' ? '' : 'fa/';
  const all = pageTitles(lang);
  const cited = titles(lang, paged(lang).filter((e) => !e.source.publisher));
  return new Map([
    [`${home}index.html`, all],
    [`${home}days/${DATE}/index.html`, all],
    [`${home}cities/${CITY.id}/index.html`, all],
    [`${home}provinces/tehran/index.html`, [...all, lang === 'en' ? CITY.name : CITY.name_fa]],
    [`${home}tags/xss-probe/index.html`, all],
    [`${home}kinds/protest/index.html`, all],
    [`${home}publishers/${PUBLISHER.id}/index.html`, [...cited, PUBLISHER.note, PUBLISHER.url]],
    [`${home}places/index.html`, [lang === 'en' ? CITY.name : CITY.name_fa]],
    [`${home}publishers/index.html`, [lang === 'en' ? PUBLISHER.name : PUBLISHER.name_fa]],
  ]);
}

// --- the tests ---------------------------------------------------------------------------------

describe('hostile content, in headless Chromium', () => {
  /** @type {Awaited<ReturnType<typeof startSite>>} */
  let site;
  /** @type {import('playwright-core').Browser} */
  let browser;
  let files = [];
  const contexts = [];

  before(async () => {
    site = await startHostileSite();
    browser = await launchBrowser();
    files = await siteFiles(site.root);
  }, { timeout: 300_000 });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await site?.close().catch(() => {});
  });

  /** A fresh recorded reader (see openReader). */
  const reader = async (options) => {
    const r = await openReader(browser, options);
    contexts.push(r.context);
    return r;
  };

  test('check accepts the hostile files, and the build writes their pages', () => {
    for (const lang of ['en', 'fa']) {
      for (const rel of headings(lang).keys()) assert.ok(files.includes(rel), `${rel} is built`);
    }
    for (const e of EVENTS.filter((x) => !hasPage('fa', x))) {
      assert.ok(!files.includes(`fa/events/${e.id}/index.html`), `${e.id} has no Persian text, so no Persian page`);
    }
    const year = DATE.slice(0, 4);
    for (const rel of [
      'feed.xml', 'fa/feed.xml', `cities/${CITY.id}/feed.xml`, 'sitemap.xml', 'robots.txt', '404.html', `map/places/${CITY.id}.js`,
      `${EXPORTS_DIR}/index.json`, `${EXPORTS_DIR}/index.html`, `fa/${EXPORTS_DIR}/index.html`,
      ...['json', 'geojson', 'csv'].map((f) => `${EXPORTS_DIR}/${year}.${f}.gz`),
    ]) {
      assert.ok(files.includes(rel), `${rel} is built`);
    }
    assert.deepEqual(files.filter((f) => f.startsWith('fa/map/places/')), [], 'the places’ map files are shared by the editions');
  });

  for (const lang of ['en', 'fa']) {
    const home = lang === 'en' ? '' : 'fa/';

    test(`${lang}: every HTML page holds the payloads as text, and no script or element gets through`, { timeout: 120_000 }, async (t) => {
      const r = await reader();
      const pages = files.filter((f) => f.endsWith('.html') && f !== '404.html' && (lang === 'fa') === f.startsWith('fa/'));
      assert.ok(pages.length > 10, `${pages.length} ${lang} pages`);
      const heads = headings(lang);
      const lists = listings(lang);
      const hidden = EVENTS.length - paged(lang).length;
      const notice = hidden ? await uiText(lang, `more_in_default_language_${hidden === 1 ? 'one' : 'many'}`, hidden) : null;
      assert.deepEqual([...heads.keys(), ...lists.keys()].filter((rel) => !pages.includes(rel)), [], 'pages not built');
      const found = [];
      for (const rel of pages) {
        found.push(...await visit(site, r, rel, async (page) => {
          // The payloads are text where a reader looks for them.
          const h1 = await page.locator('main h1').textContent();
          if (heads.has(rel)) assert.ok(h1.includes(heads.get(rel)), `${rel}: the heading shows the payload as text: ${h1}`);
          if (lists.has(rel)) {
            const body = await page.locator('main').textContent();
            for (const text of lists.get(rel)) assert.ok(body.includes(text), `${rel} shows “${text}” as text`);
          }
          // A Persian list without the English-only event says so, and links the English list.
          const notices = await page.$$eval('main p.notice.elsewhere a', (as) => as.map((a) => ({ text: a.textContent, href: a.href, hreflang: a.hreflang })));
          if (ELSEWHERE.has(rel)) {
            assert.deepEqual(notices, [{ text: notice, href: `${site.base}${ELSEWHERE.get(rel)}`, hreflang: 'en' }], `${rel}: the notice of the English-only event`);
          } else {
            assert.deepEqual(notices, [], `${rel}: no notice of English-only events`);
          }
        }));
      }
      none(found, `${lang}: what got through`);
      t.diagnostic(`${pages.length} pages`);
    });

    test(`${lang}: an event page shows every field of the hostile event as text`, async () => {
      const r = await reader();
      const permalinkLabel = await uiText(lang, 'permalink');
      for (const e of paged(lang)) {
        const rel = `${home}events/${e.id}/index.html`;
        const tr = lang === 'fa' ? e.fa : null;
        const found = await visit(site, r, rel, async (page) => {
          const title = tr?.title ?? e.title;
          assert.equal((await texts(page, 'main h1'))[0], title, `${rel}: the heading`);
          assert.ok((await page.title()).startsWith(title), `${rel}: the document's title starts with the event's: ${await page.title()}`);
          assert.ok(await page.locator('main h1').isVisible(), `${rel}: the heading is visible`);
          assert.equal((await texts(page, '.facts bdi'))[0], tr?.place ?? e.place, `${rel}: the place`);
          const summary = (await texts(page, 'main .summary'))[0].replace(/\s+/g, ' ');
          for (const s of tr?.shownSummary ?? e.shownSummary) assert.ok(summary.includes(s.replace(/\s+/g, ' ')), `${rel}: the summary shows “${s}” as text, in:\n${summary}`);
          if (!tr) {
            const links = await page.$$eval('main .summary a', (as) => as.map((a) => ({ text: a.textContent, href: a.getAttribute('href'), title: a.getAttribute('title') ?? undefined })));
            assert.deepEqual(links, e.links.map((l) => ({ title: undefined, ...l })), `${rel}: the summary's links`);
          }
          const sources = (await texts(page, 'ol.sources > li')).join('\n');
          assert.ok(sources.includes(e.source.title), `${rel}: the source's title`);
          assert.deepEqual(await page.$$eval('ol.sources > li > a:first-child', (as) => as.map((a) => a.getAttribute('href'))), [e.source.url], `${rel}: the source's address, unchanged`);
          if (e.source.author) assert.ok(sources.includes(e.source.author), `${rel}: the source's author`);
          if (e.source.archive_url) assert.ok((await page.$$eval('ol.sources a', (as) => as.map((a) => a.getAttribute('href')))).includes(e.source.archive_url), `${rel}: the archived copy's address`);
          if (!e.source.publisher) assert.ok(sources.includes(lang === 'fa' ? PUBLISHER.name_fa : PUBLISHER.name), `${rel}: the publisher's name`);
          if (e.figure) {
            const figures = (await texts(page, 'ul.figures')).join('\n');
            // `who` is shown as a label: its `-` become spaces.
            assert.ok(figures.includes(e.figure.who.replaceAll('-', ' ')), `${rel}: the figure's who, in:\n${figures}`);
            assert.ok(figures.includes(e.figure.note), `${rel}: the figure's note`);
          }
          if (e.correction) assert.ok((await texts(page, 'ul.corrections')).join('').includes(e.correction), `${rel}: the correction`);
          // The hostile base URL, unchanged, in the permanent link and the canonical address.
          const permalink = `${site.base}${home}events/${e.id}/`;
          assert.deepEqual(await page.$$eval('.permalink a', (as) => as.map((a) => [a.textContent, a.getAttribute('href')])), [[permalinkLabel, permalink]], `${rel}: the permalink`);
          assert.equal(await page.$eval('link[rel=canonical]', (l) => l.getAttribute('href')), permalink, `${rel}: the canonical address`);
        });
        none(found, `${rel}: what got through`);
      }
    });

    test(`${lang}: the map's popup for the hostile place shows its name, events and sources as text`, async () => {
      const r = await reader();
      const rel = `${home}map/index.html`;
      const found = await visit(site, r, rel, async (page) => {
        await page.waitForFunction(() => document.documentElement.classList.contains('js'));
        const mark = page.locator(`#map .mark[data-id="${CITY.id}"]`);
        await mark.focus();
        await page.keyboard.press('Enter');
        await page.waitForSelector('#map-popup:not([hidden]) .mp-events > li', { state: 'visible' });
        // One file of the place's events for both editions, at the site's root.
        assert.ok(r.log.requests.some((x) => x.url === `${site.base}map/places/${CITY.id}.js`), 'the popup loads the place’s script');
        const name = lang === 'en' ? CITY.name : CITY.name_fa;
        assert.equal(await page.textContent('#map-popup-title'), name, 'the popup is headed by the place’s name');
        assert.deepEqual((await texts(page, '#map-popup a.mp-title')).sort(), titles(lang).sort(), 'the popup lists the events by title');
        // Each title links the event's page in this edition, or the English one (marked so).
        const links = await page.$$eval('#map-popup a.mp-title', (as) => as.map((a) => [a.textContent, a.getAttribute('href') && a.href, a.getAttribute('lang')]));
        for (const e of EVENTS) {
          const own = hasPage(lang, e);
          const expected = [titles(lang, [e])[0], `${site.base}${own ? home : ''}events/${e.id}/index.html`, own ? null : 'en'];
          assert.ok(links.some((l) => JSON.stringify(l) === JSON.stringify(expected)), `the popup links ${e.id} as ${JSON.stringify(expected)} in:\n${JSON.stringify(links, null, 1)}`);
        }
        // Sources by their publisher's name (from the map's data), linking the source's address.
        const sources = await page.$$eval('#map-popup .mp-src a', (as) => as.map((a) => [a.textContent, a.getAttribute('href'), a.rel]));
        const publisherName = (e) => (e.source.publisher ? null : lang === 'en' ? PUBLISHER.name : PUBLISHER.name_fa);
        for (const e of EVENTS) {
          assert.ok(sources.some(([text, href, rel]) => href === e.source.url && rel.split(' ').includes('noopener') && (publisherName(e) === null || text === publisherName(e))), `the popup cites ${e.source.url} by its publisher in:\n${JSON.stringify(sources, null, 1)}`);
        }
      });
      none(found, `${rel}: what got through`);
    });

    test(`${lang}: search finds the hostile events and shows them, and the filters' names, as text`, async () => {
      const r = await reader();
      const rel = `${home}search/index.html?q=xss+probe&city=${CITY.id}`;
      const found = await visit(site, r, rel, async (page) => {
        await page.waitForFunction(() => document.getElementById('search-results').getAttribute('aria-busy') === 'false');
        assert.deepEqual((await texts(page, '#search-results .event-title')).sort(), titles(lang).sort(), 'the results are the hostile events, by title');
        const name = lang === 'en' ? CITY.name : CITY.name_fa;
        assert.ok((await texts(page, '#sf-city option')).some((t) => t.startsWith(name)), 'the city filter names the hostile city as text');
        assert.ok((await texts(page, '#search-results .r-places a')).includes(name), 'the results name the hostile city as text');
      });
      none(found, `${rel}: what got through`);
    });

    test(`${lang}: the Atom feeds hold the payloads as text, with no XHTML script`, async () => {
      const r = await reader();
      const found = [];
      for (const rel of files.filter((f) => f.endsWith('.xml') && f !== 'sitemap.xml' && (lang === 'fa') === f.startsWith('fa/'))) {
        found.push(...await visit(site, r, rel, async (page) => {
          assert.equal(await page.evaluate(() => document.getElementsByTagName('feed').length), 1, `${rel}: an Atom feed`);
          const entries = await page.evaluate(() => [...document.getElementsByTagName('entry')].map((e) => e.getElementsByTagName('title')[0].textContent));
          if (entries.length) assert.deepEqual(entries.sort(), pageTitles(lang).sort(), `${rel}: the entries' titles, as text`);
          const id = await page.evaluate(() => document.getElementsByTagName('id')[0].textContent);
          assert.equal(id, `${site.base}${rel}`, `${rel}: the feed's id is its hostile address, as text`);
        }));
      }
      none(found, 'what got through');
    });

    test(`${lang}: the 404 page at a missing address`, async () => {
      const r = await reader();
      const rel = `${home}no/such/page/`;
      const found = await visit(site, r, rel, async (page) => {
        assert.ok(await page.locator('main h1').isVisible(), 'a heading');
        assert.equal(await page.$eval('a.brand', (a) => a.getAttribute('href')), `${HOSTILE_PREFIX}index.html`, 'links start at the hostile path, unchanged');
        assert.ok(r.log.requests.some((x) => x.url === `${site.base}style.css`), 'the stylesheet loads from the hostile path');
      }, { status: 404 });
      none(found, `${rel}: what got through`);
    });
  }

  test('sitemap.xml and robots.txt give the hostile addresses as text', async () => {
    const r = await reader();
    const found = await visit(site, r, 'sitemap.xml', async (page) => {
      const locs = await page.evaluate(() => [...document.getElementsByTagName('loc')].map((l) => l.textContent));
      assert.ok(locs.length > 20, `${locs.length} addresses`);
      assert.deepEqual(locs.filter((l) => !l.startsWith(site.base)), [], `every address starts with ${site.base}`);
      for (const e of EVENTS) assert.ok(locs.includes(`${site.base}events/${e.id}/`), `the sitemap lists ${e.id}`);
    });
    found.push(...await visit(site, r, 'robots.txt', async (page) => {
      assert.ok((await page.textContent('body')).includes(`Sitemap: ${site.base}sitemap.xml`), 'robots.txt names the sitemap');
    }));
    none(found, 'what got through');
  });

  test('the open data holds the payloads as data (JSON, GeoJSON); its manifest is shown as text', async () => {
    const r = await reader();
    const year = Number(DATE.slice(0, 4));
    const found = await visit(site, r, `${EXPORTS_DIR}/index.json`, async (page) => {
      const manifest = JSON.parse(await page.textContent('pre'));
      assert.equal(manifest.site, site.base, 'the manifest names the hostile base URL, as text');
      assert.deepEqual(manifest.years.map((y) => [y.year, y.events]), [[year, EVENTS.length]], 'one year, with the hostile events');
    });
    none(found, 'what got through');
    // The year's files are gzip downloads: read from disk and unpacked.
    const json = (await readExports(site.root, 'json')).flatMap((doc) => doc.events);
    const geojson = (await readExports(site.root, 'geojson')).flatMap((doc) => doc.features.map((f) => ({ id: f.id, ...f.properties })));
    for (const [name, records] of [['json', json], ['geojson', geojson]]) {
      for (const e of EVENTS) {
        const record = records.find((x) => x.id === e.id);
        assert.ok(record, `${year}.${name}.gz has ${e.id}`);
        assert.equal(record.title, e.title, `${name}: ${e.id}'s title`);
        assert.equal(record.place, e.place, `${name}: ${e.id}'s place`);
        if (name === 'json') assert.equal(record.summary, e.summary, `${name}: ${e.id}'s summary`);
        if (name === 'json' && e.fa) assert.equal(record.translations.fa.title, e.fa.title, `${name}: ${e.id}'s Persian title`);
        assert.equal(record.permalink, `${site.base}events/${e.id}/`, `${name}: ${e.id}'s permalink`);
        assert.equal(record.sources[0].title, e.source.title, `${name}: ${e.id}'s source`);
        assert.equal(record.sources[0].url, e.source.url, `${name}: ${e.id}'s source address, unchanged`);
      }
    }
  });

  test('the data page’s files are downloaded, not shown, and the CSV defuses spreadsheet formulas', async () => {
    const r = await reader();
    const { page, log } = r;
    const year = DATE.slice(0, 4);
    const urls = [];
    const found = await visit(site, r, `${EXPORTS_DIR}/index.html`, async () => {
      for (const format of ['json', 'geojson', 'csv']) {
        const file = `${year}.${format}.gz`;
        const link = page.locator(`main a[download][href$="/${file}"]`);
        assert.equal(await link.count(), 1, `the data page links ${file} as a download`);
        urls.push(await link.evaluate((a) => a.href));
        const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
        assert.equal(download.suggestedFilename(), file, `${file}: the name it is saved under`);
        const saved = await readFile(await download.path());
        assert.ok(saved.equals(await readFile(path.join(site.root, EXPORTS_DIR, file))), `the download is ${EXPORTS_DIR}/${file}`);
      }
      assert.equal(page.url(), `${site.base}${EXPORTS_DIR}/index.html`, 'the page stays: nothing is shown');
    });
    // A download may show as an aborted request of its own address; nothing else may fail.
    none(found.filter((l) => !urls.some((u) => l.includes(`failed request: ${u} `))), 'what got through');
    const csv = (await readExports(site.root, 'csv')).join('');
    const row = csv.split('\n').find((l) => l.startsWith(`${EVENTS[1].id},`));
    assert.ok(row?.includes(`"'=HYPERLINK(""https://a.org/"")`), `the title starting with = is prefixed with ': ${row?.slice(0, 120)}`);
    assert.deepEqual(foreignRequests(log, site.origin), [], 'no request elsewhere');
  });
});

/** Escaping undone in a scratch copy of the theme: where each break shows (see the last test). */
const BREAKS = [
  ['templates/event.html', '{{ e.title }}', '{{ e.title | safe }}'],
  ['templates/atom.xml', '<title>{{ entry.title }}</title>', '<title>{{ entry.title | safe }}</title>'],
  ['static/map.js', '${esc(own && !D.default ? e.titles[D.lang] : e.title)}', '${own && !D.default ? e.titles[D.lang] : e.title}'],
];

describe('the probe catches escaping undone (in a scratch copy of the theme)', () => {
  /** @type {Awaited<ReturnType<typeof startSite>>} */
  let site;
  /** @type {import('playwright-core').Browser} */
  let browser;
  const contexts = [];

  before(async () => {
    site = await startHostileSite({ breaks: BREAKS });
    browser = await launchBrowser();
  }, { timeout: 300_000 });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close().catch(() => {});
    await site?.close().catch(() => {});
  });

  const caught = async (rel, look, expected) => {
    const r = await openReader(browser);
    contexts.push(r.context);
    const found = await visit(site, r, rel, look);
    for (const pattern of expected) assert.ok(found.some((l) => pattern.test(l)), `${rel}: the probe reports ${pattern} among:\n${found.join('\n')}`);
  };

  test('`{{ e.title | safe }}` in event.html: the element, its handlers and the inline script (blocked by the CSP) are caught', async () => {
    await caught(`events/${EVENTS[0].id}/index.html`, async () => {}, [
      /<xss-probe> element/, /has data-xss-probe/, /handler onmouseover/, /handler onerror/, /inline <script>/, /CSP violation.*script-src/,
    ]);
  });

  test('`{{ entry.title | safe }}` in atom.xml: the XHTML script runs (XML gets no CSP), and it and the element are caught', async () => {
    await caught('feed.xml', async () => {}, [/a script ran/, /<xss-probe> element/, /has data-xss-probe/, /handler onmouseover/, /inline <script>/]);
  });

  test('an event\'s title unescaped in map.js: the popup\'s element, handlers and script are caught', async () => {
    await caught('map/index.html', async (page) => {
      await page.waitForFunction(() => document.documentElement.classList.contains('js'));
      await page.locator(`#map .mark[data-id="${CITY.id}"]`).focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#map-popup:not([hidden]) .mp-events > li', { state: 'visible' });
    }, [/<xss-probe> element/, /handler onerror/, /inline <script>/]);
  });
});
