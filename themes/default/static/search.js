/* Ruzshomar search: words and filters over the static index in <edition>/search/ (docs/search.md).
   search/index.js comes with the page; a word loads its shard of words/, a page of results the
   results/ files of its events, and the filters facets.js. The data files are scripts, so search
   works opened from disk too. Results are built with DOM methods, never from HTML strings. */
(() => {
'use strict';
const doc = document, $ = id => doc.getElementById(id), M = window.RUZSHOMAR_SEARCH, on = (el, t, f) => el.addEventListener(t, f);
const form = $('search-form'), input = $('search-q'), status = $('search-status'), list = $('search-results'),
  pager = $('search-pager'), item = $('search-item'), filters = $('search-filters');
if (!M || !form || !item) return;
const T = M.t, N = M.n, PAGE = 20, FACETS = ['province', 'city', 'kind', 'tag', 'publisher'];
const KEYS = ['q', 'period', 'from', 'to', ...FACETS, 'single', 'page'];
const src = doc.querySelector('script[src$="search/index.js"]');
const root = src.getAttribute('src').replace(/search\/index\.js$/, '');
const fa = M.digits === 'fa', lang = doc.documentElement.lang;
const digits = s => String(s).replace(/\d/g, d => (fa ? '۰۱۲۳۴۵۶۷۸۹'[d] : d));
const num = n => digits(String(n).replace(/\B(?=(\d{3})+(?!\d))/g, T.thousands_separator));
const fill = (s, o) => s.replace(/\{(\w+)\}/g, (m, k) => (k in o ? o[k] : m));
const byLabel = new Intl.Collator(lang).compare;

// Loading: every data file is a script that adds itself to a window.RUZSHOMAR_SEARCH_* object.
const loading = new Map();
function load(path) {
  if (!loading.has(path)) {
    loading.set(path, new Promise((ok, fail) => {
      const s = doc.createElement('script');
      s.src = root + 'search/' + path;
      s.onload = ok;
      s.onerror = () => { loading.delete(path); s.remove(); fail(new Error(path)); };
      doc.head.appendChild(s);
    }));
  }
  return loading.get(path);
}
const data = name => window['RUZSHOMAR_SEARCH_' + name] || {};

// Words, folded as src/render/search/fold.rs folds them: keep the two in step.
const FOLD = { 'ي': 'ی', 'ى': 'ی', 'ك': 'ک', 'ة': 'ه', 'ە': 'ه', 'ٱ': 'ا' };
const MARK = /\p{M}/u, ALNUM = /[\p{Alphabetic}\p{N}]/u, SPACE = /\p{White_Space}/u, JOINER = /[\u200C\u200D\u00AD]/;
const GLUED = 0, SPACED = 1, OTHER = 2, PRE = ['می', 'نمی'], SUF = ['ها', 'های', 'هایی'];
function pieces(text) {
  const out = [];
  let word = '', gap = OTHER, wordGap = OTHER;
  for (let c of text.normalize('NFKD')) {
    if (MARK.test(c) || c === '\u0640') continue;
    const joiner = JOINER.test(c);
    if (!joiner) {
      c = FOLD[c] || c;
      const d = c.codePointAt(0);
      if (d >= 0x6F0 && d <= 0x6F9) c = String(d - 0x6F0);
      else if (d >= 0x660 && d <= 0x669) c = String(d - 0x660);
      if (ALNUM.test(c)) {
        if (!word) wordGap = gap;
        word += c.toLowerCase();
        continue;
      }
    }
    if (word) { out.push([word, wordGap]); word = ''; gap = GLUED; }
    gap = Math.max(gap, joiner ? GLUED : SPACE.test(c) ? SPACED : OTHER);
  }
  if (word) out.push([word, wordGap]);
  return out;
}
/** The distinct words of a query, as the index stores them. */
function words(text) {
  const p = pieces(text), out = [], joins = j => j < p.length && p[j][1] <= SPACED;
  for (let i = 0; i < p.length; i++) {
    let w = p[i][0];
    if (PRE.includes(w) && joins(i + 1)) w += p[++i][0];
    while (joins(i + 1) && (p[i + 1][1] === GLUED || SUF.includes(p[i + 1][0]))) w += p[++i][0];
    const chars = [...w];
    w = chars.slice(0, M.max).join('');
    if (chars.length > 1 && !M.stop.includes(w) && !out.includes(w)) out.push(w);
  }
  return out;
}
M.words = words; // for the tests, which compare it with the Rust side's folding

// Lists of numbers, as src/render/search/code.rs writes them.
const VALUE = new Int8Array(128).fill(-1);
[...'0123456789abcdefghijklmnopqrstuv'].forEach((c, i) => { VALUE[c.charCodeAt(0)] = i; });
[...'ABCDEFGHIJKLMNOPQRSTUVWXYZ()*+,-'].forEach((c, i) => { VALUE[c.charCodeAt(0)] = 32 + i; });
function numbers(s) {
  const out = [];
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const v = VALUE[s.charCodeAt(i)];
    if (v >= 32) n = n * 32 + v - 32;
    else { out.push(n * 32 + v); n = 0; }
  }
  return out;
}
function ids(s) {
  const a = numbers(s);
  for (let i = 1; i < a.length; i++) a[i] += a[i - 1] + 1;
  return a;
}

// The index: the shards a word needs (the last whose first word is not after it, and for a
// prefix those that start with it), and in them the words that match.
const prefixOf = w => [...w].length >= 3;
function shardsOf(w) {
  const S = M.shards;
  let lo = 0, hi = S.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (S[mid] <= w) lo = mid + 1; else hi = mid; }
  const out = lo > 0 ? [lo - 1] : [];
  if (prefixOf(w)) for (let i = lo; i < S.length && S[i].startsWith(w); i++) out.push(i);
  return out;
}
const parsed = {};
function shard(n) {
  if (!parsed[n]) {
    const w = [], c = [];
    for (const entry of data('W')[n].split(' ')) { const at = entry.indexOf(':'); w.push(entry.slice(0, at)); c.push(entry.slice(at + 1)); }
    parsed[n] = { w, c };
  }
  return parsed[n];
}
/** The events that have every word (1 in the array), or null when there is no word. */
async function matching(ws) {
  if (!ws.length) return null;
  await Promise.all([...new Set(ws.flatMap(shardsOf))].map(n => load(`words/${n}.js`)));
  let all = null;
  for (const w of ws) {
    const has = new Uint8Array(N), prefix = prefixOf(w);
    for (const n of shardsOf(w)) {
      const s = shard(n);
      let lo = 0, hi = s.w.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (s.w[mid] < w) lo = mid + 1; else hi = mid; }
      for (let i = lo; i < s.w.length && (prefix ? s.w[i].startsWith(w) : s.w[i] === w); i++) for (const e of ids(s.c[i])) has[e] = 1;
    }
    if (all) for (let i = 0; i < N; i++) all[i] &= has[i];
    else all = has;
  }
  return all;
}

// Facets: each filter's values with their events, and the days (dates → ranges of events).
// A province has the events of its cities besides those placed by the province alone.
let F = null;
async function facets() {
  if (F) return F;
  await load('facets.js');
  const raw = data('F'), f = { single: ids(raw.single), days: [], starts: [] };
  for (const k of FACETS) f[k] = raw[k].map(([id, label, e]) => ({ id, label, ids: ids(e) }));
  const of = f.province.map(p => [p.ids]);
  raw.city.forEach((c, i) => of[c[3]].push(f.city[i].ids));
  f.province.forEach((p, i) => { p.ids = [...new Set(of[i].flat())].sort((a, b) => a - b); });
  const d = numbers(raw.days);
  for (let i = 0, day = 0, start = 0; i < d.length; i += 2) {
    day = i ? day + d[i] + 1 : d[i];
    f.days.push(new Date((day - 719163) * 864e5).toISOString().slice(0, 10));
    f.starts.push(start);
    start += d[i + 1];
  }
  return (F = f);
}
/** The first event on or after `iso` (N if none). */
function firstOn(iso) {
  let lo = 0, hi = F.days.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (F.days[mid] < iso) lo = mid + 1; else hi = mid; }
  return lo < F.starts.length ? F.starts[lo] : N;
}
const nextDay = iso => new Date(Date.parse(iso) + 864e5).toISOString().slice(0, 10);

// The state, kept in the URL.
const st = {};
const anyFilter = () => KEYS.some(k => k !== 'q' && k !== 'page' && st[k]);
function readUrl() {
  const p = new URLSearchParams(location.search);
  KEYS.forEach(k => { st[k] = (p.get(k) || '').trim(); });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(st.from)) st.from = '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(st.to)) st.to = '';
  st.page = Math.max(1, parseInt(st.page, 10) || 1);
}
function query(page) {
  const p = new URLSearchParams();
  KEYS.forEach(k => { const v = k === 'page' ? (page > 1 ? page : '') : st[k]; if (v) p.set(k, v); });
  const s = p.toString();
  return location.pathname + (s ? '?' + s : '');
}
function writeUrl(push) {
  try { history[push ? 'pushState' : 'replaceState'](null, '', query(st.page)); } catch (_) { /* some file:// pages refuse */ }
}

// The filters' controls.
const sel = {}, date = { from: $('sf-from'), to: $('sf-to') }, single = $('sf-single');
['period', ...FACETS].forEach(f => { sel[f] = $('sf-' + f); });
function options(select, values, chosen) {
  const keep = [new Option(T.search_any, '')];
  for (const v of values) if (v.n || v.id === chosen) keep.push(new Option(v.n == null ? v.label : `${v.label} (${num(v.n)})`, v.id));
  select.replaceChildren(...keep);
  select.value = chosen;
}
function solar(iso) {
  if (!iso) return '';
  const parts = {};
  try {
    new Intl.DateTimeFormat('en-u-ca-persian-nu-latn', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' })
      .formatToParts(new Date(iso)).forEach(p => { parts[p.type] = p.value; });
  } catch (_) { return ''; }
  const n = s => digits(parseInt(s, 10));
  return fill(T.date_format, { day: n(parts.day), month: T['solar_month_' + parseInt(parts.month, 10)] || '', year: n(parts.year) });
}
function showControls() {
  input.value = st.q;
  single.checked = st.single === '1';
  for (const k of ['from', 'to']) { date[k].value = st[k]; $(`sf-${k}-o`).textContent = solar(st[k]); }
  const active = KEYS.filter(k => k !== 'q' && k !== 'page' && st[k]).length;
  $('sf-active').textContent = active ? ` (${num(active)})` : '';
  $('sf-clear').hidden = !active;
}

// A search: the events that match the words, then the filters; counts for each filter's
// values as if that filter alone were not set.
let run = 0, last = null;
async function search() {
  const mine = ++run, ws = words(st.q), asked = ws.length > 0 || anyFilter();
  showControls();
  list.setAttribute('aria-busy', 'true');
  const slow = setTimeout(() => { if (mine === run && asked) status.textContent = T.search_loading; }, 300);
  let base;
  try {
    [base] = await Promise.all([matching(ws), filters.open || anyFilter() ? facets() : null]);
  } catch (e) {
    base = e;
  }
  clearTimeout(slow);
  if (mine !== run) return;
  if (base instanceof Error) return show(mine, [], T.search_failed);
  // One array per filter: 1 where an event passes it.
  const pass = {}, dims = [];
  let lo = 0, hi = N;
  const period = M.periods.find(p => p[0] === st.period);
  if (period) [, , lo, hi] = period;
  if (F) {
    if (st.from) lo = Math.max(lo, firstOn(st.from));
    if (st.to) hi = Math.min(hi, firstOn(nextDay(st.to)));
    for (const f of FACETS) {
      if (!st[f]) continue;
      const v = F[f].find(x => x.id === st[f]);
      pass[f] = new Uint8Array(N);
      if (v) v.ids.forEach(e => { pass[f][e] = 1; });
      dims.push(f);
    }
    if (st.single === '1') {
      pass.single = new Uint8Array(N);
      F.single.forEach(e => { pass.single[e] = 1; });
      dims.push('single');
    }
  }
  // The events that pass everything but `skip`.
  const except = skip => {
    const ok = new Uint8Array(N), [a, b] = skip === 'date' ? [0, N] : [lo, hi];
    for (let e = a; e < b; e++) ok[e] = (!base || base[e]) && dims.every(f => f === skip || pass[f][e]) ? 1 : 0;
    return ok;
  };
  const ok = except(null), dated = except('date');
  options(sel.period, M.periods.map(([id, label, a, b]) => {
    let n = 0;
    for (let e = a; e < b; e++) n += dated[e];
    return { id, label, n };
  }), st.period);
  if (F) {
    for (const f of FACETS) {
      const o = dims.includes(f) ? except(f) : ok;
      const values = F[f].map(v => ({ id: v.id, label: v.label, n: v.ids.reduce((n, e) => n + o[e], 0) }));
      options(sel[f], f === 'kind' ? values : values.sort((x, y) => byLabel(x.label, y.label)), st[f]);
    }
    const o = dims.includes('single') ? except('single') : ok;
    $('sf-single-n').textContent = `(${num(F.single.reduce((n, e) => n + o[e], 0))})`;
    date.from.min = date.to.min = F.days[0] || '';
    date.from.max = date.to.max = F.days[F.days.length - 1] || '';
  }
  const found = [];
  if (asked) for (let e = N - 1; e >= 0; e--) if (ok[e]) found.push(e);
  last = found;
  await show(mine, found, asked ? '' : T.search_prompt);
}

// One page of results.
async function show(mine, found, message) {
  list.setAttribute('aria-busy', 'true');
  const pages = Math.max(1, Math.ceil(found.length / PAGE));
  const page = Math.min(st.page, pages), shown = found.slice((page - 1) * PAGE, page * PAGE);
  try {
    await Promise.all([...new Set(shown.map(e => Math.floor(e / M.per)))].map(n => load(`results/${n}.js`)));
  } catch (e) {
    message = T.search_failed;
    shown.length = 0;
  }
  if (mine !== run) return;
  status.textContent = message || (found.length ? fill(found.length === 1 ? T.search_found_one : T.search_found_many, { n: num(found.length) }) : T.search_none);
  list.replaceChildren(...shown.map(e => (data('R')[Math.floor(e / M.per)] || [])[e % M.per]).filter(Boolean).map(result));
  list.hidden = !shown.length;
  list.setAttribute('aria-busy', 'false');
  pager.hidden = pages < 2 || !shown.length;
  const link = (a, n) => { a.hidden = n < 1 || n > pages; a.href = query(n); a.dataset.page = n; };
  link($('sp-prev'), page - 1);
  link($('sp-next'), page + 1);
  $('sp-at').textContent = fill(T.search_page, { n: num(page), total: num(pages) });
}
function result([url, title, translated, iso, dates, places, place, kind, one]) {
  const li = item.content.firstElementChild.cloneNode(true), a = li.querySelector('.event-title');
  a.href = root + url;
  a.textContent = title;
  if (!translated) { a.lang = M.original[0]; a.dir = M.original[1] ? 'rtl' : 'ltr'; }
  const time = li.querySelector('time');
  time.dateTime = iso;
  time.textContent = dates;
  const where = li.querySelector('.r-places');
  places.forEach(([label, href], i) => {
    if (i) where.append(T.list_separator);
    const p = where.appendChild(doc.createElement('a'));
    p.href = root + href;
    p.textContent = label;
  });
  if (place) { where.append(' ('); where.appendChild(doc.createElement('bdi')).textContent = place; where.append(')'); }
  const k = M.kinds[kind] || [], ka = li.querySelector('.kind');
  ka.classList.add('kind-' + k[0]);
  ka.href = root + k[2];
  ka.textContent = k[1];
  if (!one) li.querySelector('.r-single').remove();
  return li;
}

// Events: typing searches after a pause, the filters at once; pages and filters are history.
let timer = 0;
const again = push => { st.page = 1; writeUrl(push); search(); };
on(input, 'input', () => { clearTimeout(timer); timer = setTimeout(() => { st.q = input.value.trim(); again(false); }, 350); });
on(form, 'submit', e => { e.preventDefault(); clearTimeout(timer); st.q = input.value.trim(); again(true); });
['period', ...FACETS].forEach(f => on(sel[f], 'change', () => { st[f] = sel[f].value; again(true); }));
['from', 'to'].forEach(k => on(date[k], 'change', () => { st[k] = date[k].value; again(true); }));
on(single, 'change', () => { st.single = single.checked ? '1' : ''; again(true); });
on($('sf-clear'), 'click', () => { KEYS.forEach(k => { if (k !== 'q') st[k] = ''; }); sel.period.focus(); again(true); });
on(filters, 'toggle', () => { if (filters.open && !loading.has('facets.js')) search(); });
on(pager, 'click', e => {
  const a = e.target.closest('a[data-page]');
  if (!a || !last) return;
  e.preventDefault();
  st.page = +a.dataset.page;
  writeUrl(true);
  show(++run, last);
  status.scrollIntoView({ block: 'start' });
});
on(window, 'popstate', () => { readUrl(); search(); });

readUrl();
if (anyFilter()) filters.open = true;
$('search-nojs').hidden = true;
form.hidden = false;
search();
})();
