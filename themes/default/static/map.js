/* Ruzshomar map: zoom, pan, date and kind filters, a popup per place, the view in the URL's hash.
   Without it marks are links. Data: map/data.js; map/places/<id>.js loads as a script (file:// too). */
(() => {
'use strict';
const doc = document, $ = id => doc.getElementById(id), D = window.RUZSHOMAR_MAP, on = (el, t, f, o) => el.addEventListener(t, f, o);
const svg = $('map'), box = $('map-controls'), pop = $('map-popup');
if (!D || !svg || !box || !pop || !$('mc-chips')) return;
const T = D.t, LAST = D.days.length - 1, ZMAX = 16, K = D.kinds;
const src = doc.querySelector('script[src$="map/data.js"]');
const root = src ? src.getAttribute('src').replace(/map\/data\.js$/, '') : '';
const vb = svg.viewBox.baseVal, X0 = vb.x, Y0 = vb.y, W = vb.width, H = vb.height;
const fa = T.digits === 'fa', num = n => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, fa ? '٬' : ',').replace(/\d/g, d => (fa ? '۰۱۲۳۴۵۶۷۸۹'[d] : d));
const fill = (s, o) => s.replace(/\{(\w+)\}/g, (m, k) => (k in o ? o[k] : m));
const count = n => fill(n === 1 ? T.events_one : T.events_many, { n: num(n) });
const esc = s => String(s == null ? '' : s).replace(/[&<>"']/g, c => '&#' + c.charCodeAt(0) + ';');
const radius = n => n > 100 ? 24.5 + 6 * Math.log(n / 100) : 2.5 + 2.2 * Math.sqrt(n);
const clamp = (v, a, b) => Math.min(b, Math.max(a, v));
const lastIndex = ok => D.days.reduce((b, d, i) => (ok(d) ? i : b), -1);

// Marks, and a label for each (those the page lacks: from zoom 3).
const g = svg.querySelector('.marks'), labels = svg.querySelector('.labels'), byId = Object.create(null);
const marks = [...svg.querySelectorAll('.mark')].map(a => {
  const c = a.querySelector('circle'), id = a.getAttribute('data-id');
  return (byId[id] = { a, c, id, kind: (/\bkind-(\S+)/.exec(a.getAttribute('class')) || [])[1], tt: a.querySelector('title'),
    name: a.getAttribute('data-name') || id, x: +c.getAttribute('cx'), y: +c.getAttribute('cy'), ev: D.places[id] || [], n: 1 });
});
let order = marks;
if (labels) {
  labels.querySelectorAll('text[data-id]').forEach(t => { const m = byId[t.getAttribute('data-id')]; if (m) m.t = t; });
  marks.forEach(m => {
    if (!m.t) {
      m.t = labels.appendChild(doc.createElementNS(svg.namespaceURI, 'text'));
      m.t.setAttribute('class', 'minor');
      m.t.setAttribute('x', m.x);
      m.t.textContent = m.name;
    }
    m.t.removeAttribute('dy');
  });
}

const used = new Set(), all = () => new Set(K.map((k, i) => i));
marks.forEach(m => m.ev.forEach(p => used.add(p[1])));
const st = { from: 0, to: LAST, kinds: all(), z: 1, cx: X0 + W / 2, cy: Y0 + H / 2, place: null };
const periods = D.periods.map(p => ({ id: p.id, a: D.days.findIndex(d => d >= p.start), b: lastIndex(d => d >= p.start && (!p.end || d <= p.end)), title: p.title }))
  .filter(p => p.a >= 0 && p.b >= p.a);

// Controls: markup in the page; add periods and kinds.
const sel = $('mc-period'), rFrom = $('mc-from'), rTo = $('mc-to'), chips = $('mc-chips');
sel.lastElementChild.insertAdjacentHTML('beforebegin', periods.map(p => `<option value="${esc(p.id)}">${esc(p.title)}</option>`).join(''));
rFrom.max = rTo.max = LAST;
chips.innerHTML = K.map((k, i) => (used.has(i) ? `<label class="kind kind-${esc(k.id)}"><input type="checkbox" value="${i}" checked> ${esc(k.label)}</label>` : '')).join('');
const boxes = [...chips.querySelectorAll('input')];
box.hidden = $('map-zoom').hidden = false;
doc.documentElement.classList.add('js');
svg.tabIndex = 0;
svg.setAttribute('aria-describedby', 'map-keys');

function filter() {
  let shown = 0;
  marks.forEach(m => {
    const c = {};
    let best = -1;
    m.n = 0;
    m.ev.forEach(p => { if (p[0] >= st.from && p[0] <= st.to && st.kinds.has(p[1])) { m.n++; c[p[1]] = (c[p[1]] || 0) + 1; } });
    for (const k in c) if (best < 0 || c[k] > c[best] || (c[k] === c[best] && K[k].id < K[best].id)) best = +k; // as the site picks
    m.a.classList.toggle('off', !m.n);
    if (m.t) m.t.classList.toggle('off', !m.n);
    if (!m.n) return;
    shown++;
    if (K[best].id !== m.kind) { m.a.classList.replace('kind-' + m.kind, 'kind-' + K[best].id); m.kind = K[best].id; }
    const label = m.name + ': ' + count(m.n);
    m.a.setAttribute('aria-label', label);
    if (m.tt) m.tt.textContent = label;
  });
  // Large marks first, so small ones stay on top and clickable.
  order = marks.slice().sort((p, q) => q.n - p.n || (p.id < q.id ? -1 : 1));
  order.forEach(m => g.appendChild(m.a));
  $('mc-shown').textContent = fill(T.shown, { n: num(shown), total: num(marks.length) });
  rFrom.value = st.from;
  rTo.value = st.to;
  ['from', 'to'].forEach(w => { const d = D.dates[st[w]]; $('mc-' + w + '-d').textContent = d; $('mc-' + w).setAttribute('aria-valuetext', d); });
  const p = periods.find(p => p.a === st.from && p.b === st.to);
  sel.value = !st.from && st.to === LAST ? '' : p ? p.id : 'custom';
  boxes.forEach(b => { b.checked = st.kinds.has(+b.value); });
  scale();
  if (st.place && !pop.hidden) show(st.place);
}

// The view: zoom and pan by the viewBox; rect: the map on screen.
let rect = svg.getBoundingClientRect();
const unit = z => Math.max(W / z / (rect.width || W), H / z / (rect.height || H)); // user units per CSS pixel
const at = (px, py) => { rect = svg.getBoundingClientRect(); const ox = px - rect.left - rect.width / 2, oy = py - rect.top - rect.height / 2, u = unit(st.z); return { ox, oy, x: st.cx + ox * u, y: st.cy + oy * u }; };
function view(z, cx, cy) {
  const w = W / (z = clamp(z, 1, ZMAX)), h = H / z;
  st.z = z;
  st.cx = clamp(cx, X0 + w / 2, X0 + W - w / 2);
  st.cy = clamp(cy, Y0 + h / 2, Y0 + H - h / 2);
  svg.setAttribute('viewBox', [st.cx - w / 2, st.cy - h / 2, w, h].map(v => Math.round(v * 100) / 100).join(' '));
  svg.classList.toggle('z3', z >= 3);
  scale();
}
// Marks and labels keep their size on screen; a label covering a bigger place's waits.
function scale() {
  rect = svg.getBoundingClientRect();
  if (!rect.width) return;
  const u = unit(st.z), done = [];
  svg.style.setProperty('--u', u.toFixed(4));
  order.forEach(m => {
    if (!m.n) return;
    const t = m.t, r = radius(m.n) * u;
    m.c.setAttribute('r', r.toFixed(2));
    if (!t) return;
    t.setAttribute('y', (m.y - r - 4 * u).toFixed(1));
    t.classList.remove('hid');
    const b = t.getBBox();
    if (!b.width) return;
    if (done.some(p => b.x < p.x + p.width && p.x < b.x + b.width && b.y < p.y + p.height && p.y < b.y + b.height)) t.classList.add('hid');
    else done.push(b);
  });
}
const zoomBy = f => view(st.z * f, st.cx, st.cy);
const home = () => view(1, X0 + W / 2, Y0 + H / 2);

// One pointer drags, two pinch; the map point under their middle stays there.
const pts = new Map();
let gest = null, moved = false;
const mid = () => { const [a, b = a] = pts.values(); return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, d: Math.hypot(a.x - b.x, a.y - b.y) }; };
const begin = () => { if (!pts.size) return (gest = null); const m = mid(); gest = Object.assign(at(m.x, m.y), { z: st.z, d: m.d, sx: m.x, sy: m.y }); };
const grab = e => { try { svg.setPointerCapture(e.pointerId); } catch (_) { /* already up */ } svg.classList.add('dragging'); };
on(svg, 'pointerdown', e => {
  if (e.button > 0) return;
  if (!pts.size) moved = false;
  pts.set(e.pointerId, { x: e.clientX, y: e.clientY });
  if (pts.size > 1) { moved = true; grab(e); }
  begin();
});
on(svg, 'pointermove', e => {
  const p = pts.get(e.pointerId);
  if (!p || !gest) return;
  p.x = e.clientX;
  p.y = e.clientY;
  const m = mid();
  if (!moved) {
    if (Math.hypot(m.x - gest.sx, m.y - gest.sy) < 6) return;
    moved = true;
    grab(e);
  }
  const z = pts.size > 1 && gest.d ? gest.z * m.d / gest.d : gest.z, q = at(m.x, m.y), v = unit(clamp(z, 1, ZMAX));
  view(z, gest.x - q.ox * v, gest.y - q.oy * v);
});
const end = e => {
  if (!pts.delete(e.pointerId)) return;
  begin();
  if (!pts.size) { svg.classList.remove('dragging'); if (moved) save(); }
};
on(svg, 'pointerup', end);
on(svg, 'pointercancel', end);
on(svg, 'dragstart', e => e.preventDefault());
on(svg, 'wheel', e => {
  const z = clamp(st.z * Math.exp(-e.deltaY * [1, 16, 400][e.deltaMode || 0] / 500), 1, ZMAX);
  if (Math.abs(z - st.z) < 1e-3) return; // at a limit: let the page scroll
  e.preventDefault();
  const p = at(e.clientX, e.clientY), v = unit(z); // the point under the cursor stays there
  view(z, p.x - p.ox * v, p.y - p.oy * v);
  saveSoon();
}, { passive: false });
on($('map-zoom'), 'click', e => {
  const w = e.target.closest('button');
  if (!w) return;
  if (w.dataset.z === 'reset') home(); else zoomBy(w.dataset.z === 'in' ? 1.6 : 1 / 1.6);
  save();
});
on(svg, 'keydown', e => {
  if (e.altKey || e.ctrlKey || e.metaKey) return;
  const k = e.key, s = W / st.z / 8, mark = e.target.closest('.mark');
  const pan = { ArrowLeft: [-s, 0], ArrowRight: [s, 0], ArrowUp: [0, -s], ArrowDown: [0, s] }[k];
  if (mark && k === ' ') open(mark, true);
  else if (pan) view(st.z, st.cx + pan[0], st.cy + pan[1]);
  else if (k === '+' || k === '=') zoomBy(1.6);
  else if (k === '-' || k === '_') zoomBy(1 / 1.6);
  else if (k === '0') home();
  else return;
  e.preventDefault();
  saveSoon();
});
// A mark reached with Tab comes into view.
on(svg, 'focusin', e => {
  const a = e.target.closest('.mark'), m = a && byId[a.getAttribute('data-id')];
  if (m && (Math.abs(m.x - st.cx) > W / st.z * 0.45 || Math.abs(m.y - st.cy) > H / st.z * 0.45)) { view(st.z, m.x, m.y); saveSoon(); }
});
if (window.ResizeObserver) new ResizeObserver(scale).observe(svg);

// The popup. A click with a modifier key is left to the link (new tab, window).
let opener = null;
on(svg, 'click', e => {
  if (moved) { moved = false; if (e.detail) return e.preventDefault(); } // the end of a drag
  if (e.button > 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  let a = e.target.closest('.mark');
  if (!a) { // a tap just beside a small mark still finds it
    const p = at(e.clientX, e.clientY), u = unit(st.z);
    let best = 14 * u;
    marks.forEach(m => { const d = Math.hypot(m.x - p.x, m.y - p.y) - radius(m.n) * u; if (m.n && d < best) { best = d; a = m.a; } });
  }
  if (a) { e.preventDefault(); open(a, true); }
});
function open(a, focus) {
  opener = a;
  show(a.getAttribute('data-id'), focus);
  save();
}
const places = () => window.RUZSHOMAR_PLACES || {}, pick = m => marks.forEach(k => k.a.classList.toggle('sel', k === m));
function show(id, focus) {
  const m = byId[id];
  if (!m) return;
  st.place = id;
  pick(m);
  pop.hidden = false;
  if (places()[id]) return render(places()[id], focus);
  pop.innerHTML = head(m.name) + `<p class="mp-n">${esc(T.loading)}</p>`;
  if (focus) $('map-popup-title').focus();
  if (m.loading) return;
  m.loading = true;
  const s = doc.createElement('script');
  s.src = root + D.base + 'map/places/' + encodeURIComponent(id) + '.js';
  s.onload = () => { if (st.place === id && places()[id]) render(places()[id]); };
  s.onerror = () => { m.loading = false; if (st.place === id) location.href = m.a.getAttribute('href'); };
  doc.head.appendChild(s);
}
const head = name => `<div class="mp-head"><h2 id="map-popup-title" tabindex="-1">${esc(name)}</h2><button type="button" class="mp-close" aria-label="${esc(T.close)}">×</button></div>`;
function render(P, focus) {
  const ev = P.events.filter(e => e.day >= st.from && e.day <= st.to && st.kinds.has(e.kind));
  focus = focus || pop.contains(doc.activeElement);
  pop.innerHTML = head(byId[st.place] ? byId[st.place].name : '') + `<p class="mp-n">${esc(count(ev.length))}</p><ol class="mp-events">` + ev.map(e => {
    const k = K[e.kind] || {};
    // This edition's title and page, or the default language's (marked as such).
    const own = D.default || e.titles[D.lang] != null, url = (own ? '' : D.base) + 'events/' + e.id + '/index.html';
    return `<li><p class="mp-meta"><time datetime="${esc(D.days[e.day])}">${esc(D.dates[e.day])}</time> <span class="kind kind-${esc(k.id)}">${esc(k.label)}</span></p>` +
      `<a class="mp-title" href="${esc(root + url)}"${own ? '' : ` lang="${esc(D.default_lang)}" dir="auto"`}>${esc(own && !D.default ? e.titles[D.lang] : e.title)}</a>` + (e.s.length ? `<p class="mp-sl">${esc(T.sources)}</p><ul class="mp-src">` + e.s.map(([p, url]) => {
        const [name, aff] = D.publishers[p] || ['', ''];
        return '<li>' + (/^https?:\/\//.test(url) ? `<a href="${esc(url)}" rel="noopener noreferrer external">${esc(name)}</a>` : esc(name)) +
          (aff ? ` <span class="aff">${esc(aff)}</span>` : '') + '</li>';
      }).join('') + '</ul>' : '') + '</li>';
  }).join('') + `</ol><p class="mp-all"><a href="${esc(root + P.url)}">${esc(T.open_place)}</a></p>`;
  if (focus) $('map-popup-title').focus();
}
function close(back) {
  if (pop.hidden) return;
  pop.hidden = true;
  pop.innerHTML = '';
  st.place = null;
  pick();
  save();
  if (back && opener && !opener.classList.contains('off')) opener.focus();
}
on(pop, 'click', e => { if (e.target.closest('.mp-close')) close(true); });
on(doc, 'keydown', e => { if (e.key === 'Escape' && !pop.hidden) { e.preventDefault(); close(true); } });

on(sel, 'change', () => {
  const p = periods.find(p => p.id === sel.value);
  st.from = p ? p.a : 0;
  st.to = p ? p.b : LAST;
  filter();
  save();
});
[rFrom, rTo].forEach(r => on(r, 'input', () => {
  const a = +rFrom.value, b = +rTo.value;
  st.from = r === rFrom ? a : Math.min(a, b);
  st.to = r === rTo ? b : Math.max(a, b);
  filter();
  saveSoon();
}));
on(chips, 'change', () => {
  st.kinds = all();
  boxes.forEach(b => { if (!b.checked) st.kinds.delete(+b.value); });
  filter();
  save();
});

// The URL: #from=2026-01-03&to=2026-01-07&kinds=protest,strike&z=2.00,500,400&place=x
let timer = 0;
function saveSoon() { clearTimeout(timer); timer = setTimeout(save, 300); }
function save() {
  clearTimeout(timer);
  view(+st.z.toFixed(2), Math.round(st.cx), Math.round(st.cy)); // what the URL can say
  const q = [];
  if (st.from) q.push('from=' + D.days[st.from]);
  if (st.to < LAST) q.push('to=' + D.days[st.to]);
  if (boxes.some(b => !b.checked)) q.push('kinds=' + boxes.filter(b => b.checked).map(b => K[b.value].id).join(','));
  if (st.z > 1) q.push('z=' + [st.z.toFixed(2), st.cx, st.cy].join(','));
  if (st.place) q.push('place=' + encodeURIComponent(st.place));
  try { history.replaceState(history.state, '', location.pathname + location.search + (q.length ? '#' + q.join('&') : '')); } catch (_) { /* refused */ }
}
function restore() {
  const q = {};
  location.hash.slice(1).split('&').forEach(kv => { const i = kv.indexOf('='); try { if (i > 0) q[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); } catch (_) { /* bad escape */ } });
  const a = q.from ? D.days.findIndex(d => d >= q.from) : 0, b = q.to ? Math.max(0, lastIndex(d => d <= q.to)) : LAST;
  st.from = a < 0 ? LAST : Math.min(a, b);
  st.to = Math.max(st.from, b);
  st.kinds = all();
  if ('kinds' in q) K.forEach((k, i) => { if (used.has(i) && q.kinds.split(',').indexOf(k.id) < 0) st.kinds.delete(i); });
  const z = (q.z || '').split(',').map(Number);
  filter();
  if (z.length === 3 && z.every(isFinite)) view(z[0], z[1], z[2]); else home();
  if (byId[q.place]) { opener = byId[q.place].a; show(q.place); } else close();
}
on(window, 'hashchange', () => { if (location.hash.indexOf('=') > 0) restore(); });
restore();
})();
