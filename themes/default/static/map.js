/* Ruzshomar map: zoom and pan, date and kind filters, a popup per place with its events and
   sources, and the view kept in the URL's hash. Without this script every mark is a plain link
   to its place's page. Data: map/data.js (window.RUZSHOMAR_MAP); details per place are loaded
   on demand from map/places/<id>.js as scripts, which also works from a file:// copy. */
(function () {
  'use strict';
  const D = window.RUZSHOMAR_MAP, doc = document;
  const svg = doc.getElementById('map'), box = doc.getElementById('map-controls'), pop = doc.getElementById('map-popup');
  if (!D || !svg || !box || !pop || !svg.getScreenCTM || !window.Map) return;
  const T = D.t, S = box.dataset, LAST = D.days.length - 1, ZMAX = 16;
  const src = doc.querySelector('script[src$="map/data.js"]');
  const root = src ? src.getAttribute('src').replace(/map\/data\.js$/, '') : '';
  const vb = svg.viewBox.baseVal, X0 = vb.x, Y0 = vb.y, W = vb.width, H = vb.height;

  const fa = T.digits === 'fa';
  const num = n => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, fa ? '٬' : ',').replace(/\d/g, d => fa ? '۰۱۲۳۴۵۶۷۸۹'[d] : d);
  const fill = (s, o) => s.replace(/\{(\w+)\}/g, (m, k) => (k in o ? o[k] : m));
  const count = n => fill(n === 1 ? T.events_one : T.events_many, { n: num(n) });
  const esc = s => String(s == null ? '' : s).replace(/[&<>"']/g, c => '&#' + c.charCodeAt(0) + ';');
  const radius = n => 2.5 + 2.2 * Math.sqrt(n);
  const clamp = (v, a, b) => Math.min(b, Math.max(a, v));

  // ---- marks and labels
  const g = svg.querySelector('.marks'), labels = svg.querySelector('.labels');
  const byId = {};
  let order;
  const marks = Array.prototype.map.call(svg.querySelectorAll('.mark'), a => {
    const c = a.querySelector('circle'), id = a.getAttribute('data-id');
    const kind = (/\bkind-(\S+)/.exec(a.getAttribute('class')) || [])[1];
    return (byId[id] = { a, c, id, kind, tt: a.querySelector('title'), name: a.getAttribute('data-name') || id,
      x: +c.getAttribute('cx'), y: +c.getAttribute('cy'), ev: D.places[id] || [], n: 1 });
  });
  if (labels) {
    Array.prototype.forEach.call(labels.querySelectorAll('text[data-id]'), t => { const m = byId[t.getAttribute('data-id')]; if (m) m.t = t; });
    marks.forEach(m => {
      if (m.t) return;
      const t = (m.t = doc.createElementNS('http://www.w3.org/2000/svg', 'text'));
      t.setAttribute('class', 'minor');
      t.setAttribute('x', m.x);
      t.textContent = m.name;
      labels.appendChild(t);
    });
    marks.forEach(m => { m.t.removeAttribute('dy'); });
  }

  // ---- state
  const st = { from: 0, to: LAST, kinds: new Set(D.kinds.map((k, i) => i)), z: 1, cx: X0 + W / 2, cy: Y0 + H / 2, place: null };
  const used = new Set();
  marks.forEach(m => m.ev.forEach(p => used.add(p[1])));
  const periods = D.periods.map(p => {
    let a = D.days.findIndex(d => d >= p.start), b = -1;
    D.days.forEach((d, i) => { if (d >= p.start && (!p.end || d <= p.end)) b = i; });
    return { id: p.id, title: p.title, a, b };
  }).filter(p => p.a >= 0 && p.b >= p.a);

  // ---- controls
  html(box, `<div class="mc-dates"><label class="mc-period"><span>${esc(S.period)}</span> <select id="mc-period"><option value="">${esc(S.all)}</option>` +
    periods.map(p => `<option value="${esc(p.id)}">${esc(p.title)}</option>`).join('') +
    `<option value="custom" disabled>${esc(S.custom)}</option></select></label>` +
    ['from', 'to'].map(w => `<div class="mc-r"><label for="mc-${w}">${esc(S[w])}</label> <span id="mc-${w}-d" aria-hidden="true"></span><input type="range" id="mc-${w}" min="0" max="${LAST}" step="1"></div>`).join('') +
    `</div><fieldset class="mc-kinds"><legend>${esc(S.kinds)}</legend><div class="mc-chips">` +
    D.kinds.map((k, i) => used.has(i) ? `<label class="kind kind-${esc(k.id)}"><input type="checkbox" value="${i}" checked> ${esc(k.label)}</label>` : '').join('') +
    `</div></fieldset><p class="mc-shown" id="mc-shown" aria-live="polite"></p>`);
  const $ = id => doc.getElementById(id);
  const sel = $('mc-period'), rFrom = $('mc-from'), rTo = $('mc-to'), shown = $('mc-shown');
  const boxes = Array.prototype.slice.call(box.querySelectorAll('input[type=checkbox]'));
  box.hidden = false;
  doc.documentElement.classList.add('js');

  const frame = svg.parentNode, zoomBar = doc.createElement('div');
  zoomBar.className = 'map-zoom';
  const zl = { in: S.zoomIn, out: S.zoomOut, reset: S.reset };
  html(zoomBar, [['in', '+'], ['out', '−'], ['reset', '<svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4"/></svg>']]
    .map(b => `<button type="button" data-z="${b[0]}" title="${esc(zl[b[0]])}" aria-label="${esc(zl[b[0]])}">${b[1]}</button>`).join(''));
  frame.insertBefore(zoomBar, svg);
  svg.setAttribute('tabindex', '0');
  if ($('map-keys')) svg.setAttribute('aria-describedby', 'map-keys');

  function html(el, s) { el.innerHTML = s; }

  // ---- filtering
  function filter() {
    let n = 0;
    marks.forEach(m => {
      const c = {};
      m.n = 0;
      m.ev.forEach(p => { if (p[0] >= st.from && p[0] <= st.to && st.kinds.has(p[1])) { m.n++; c[p[1]] = (c[p[1]] || 0) + 1; } });
      let best = -1;
      for (const k in c) if (best < 0 || c[k] > c[best] || (c[k] === c[best] && D.kinds[k].id < D.kinds[best].id)) best = +k;
      m.a.classList.toggle('off', !m.n);
      if (m.t) m.t.classList.toggle('off', !m.n);
      if (!m.n) return;
      n++;
      const kind = D.kinds[best].id;
      if (kind !== m.kind) { m.a.classList.remove('kind-' + m.kind); m.a.classList.add('kind-' + kind); m.kind = kind; }
      const label = m.name + ': ' + count(m.n);
      m.a.setAttribute('aria-label', label);
      if (m.tt) m.tt.textContent = label;
    });
    // Large marks first, so small ones stay on top and clickable.
    order = marks.slice().sort((p, q) => q.n - p.n || (p.id < q.id ? -1 : 1));
    order.forEach(m => g.appendChild(m.a));
    shown.textContent = fill(T.shown, { n: num(n), total: num(marks.length) });
    rFrom.value = st.from; rTo.value = st.to;
    ['from', 'to'].forEach(w => { const d = D.dates[st[w]]; $('mc-' + w + '-d').textContent = d; $('mc-' + w).setAttribute('aria-valuetext', d); });
    const p = periods.find(p => p.a === st.from && p.b === st.to);
    sel.value = st.from === 0 && st.to === LAST ? '' : p ? p.id : 'custom';
    boxes.forEach(b => { b.checked = st.kinds.has(+b.value); });
    scale();
    if (st.place && !pop.hidden) show(st.place, false);
  }

  // ---- view: zoom and pan by the viewBox; marks and labels keep their size on screen
  let rect = svg.getBoundingClientRect();
  const unit = z => Math.max(W / z / (rect.width || W), H / z / (rect.height || H)); // user units per CSS pixel
  function view(z, cx, cy) {
    z = clamp(z, 1, ZMAX);
    const w = W / z, h = H / z;
    st.z = z;
    st.cx = clamp(cx, X0 + w / 2, X0 + W - w / 2);
    st.cy = clamp(cy, Y0 + h / 2, Y0 + H - h / 2);
    svg.setAttribute('viewBox', [st.cx - w / 2, st.cy - h / 2, w, h].map(v => Math.round(v * 100) / 100).join(' '));
    svg.classList.toggle('zoomed', z > 1.01);
    svg.classList.toggle('z3', z >= 3);
    scale();
  }
  function scale() {
    rect = svg.getBoundingClientRect();
    if (!rect.width) return;
    const u = unit(st.z), done = [];
    svg.style.setProperty('--u', u.toFixed(4));
    order.forEach(m => {
      const t = m.t, r = radius(m.n) * u;
      if (!m.n) return;
      m.c.setAttribute('r', r.toFixed(2));
      if (!t) return;
      t.setAttribute('y', (m.y - r - 4 * u).toFixed(1));
      t.classList.remove('hid');
      const b = t.getBBox(); // labels that would overlap a bigger place's label wait for more zoom
      if (b.width && done.some(p => b.x < p.x + p.width && p.x < b.x + b.width && b.y < p.y + p.height && p.y < b.y + b.height)) t.classList.add('hid');
      else if (b.width) done.push(b);
    });
  }
  // Zoom to z keeping the map point under the screen point (px, py) in place.
  function zoomAt(z, px, py) {
    rect = svg.getBoundingClientRect();
    const ox = px - rect.left - rect.width / 2, oy = py - rect.top - rect.height / 2, u = unit(st.z);
    const x = st.cx + ox * u, y = st.cy + oy * u, v = unit(clamp(z, 1, ZMAX));
    view(z, x - ox * v, y - oy * v);
  }
  const zoomBy = f => { rect = svg.getBoundingClientRect(); zoomAt(st.z * f, rect.left + rect.width / 2, rect.top + rect.height / 2); };

  // Pointers: one drags, two pinch. A gesture remembers the map point under the pointers' middle.
  const pts = new Map();
  let gest = null, moved = false;
  function begin() {
    const p = Array.from(pts.values());
    if (!p.length) { gest = null; return; }
    const m = mid(p);
    rect = svg.getBoundingClientRect();
    const u = unit(st.z);
    gest = { z: st.z, d: m.d, x: st.cx + (m.x - rect.left - rect.width / 2) * u, y: st.cy + (m.y - rect.top - rect.height / 2) * u, sx: m.x, sy: m.y };
  }
  function mid(p) {
    const a = p[0], b = p[1] || a;
    return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2, d: Math.hypot(a.x - b.x, a.y - b.y) };
  }
  svg.addEventListener('pointerdown', e => {
    if (e.button > 0) return;
    if (!pts.size) moved = false;
    pts.set(e.pointerId, { x: e.clientX, y: e.clientY });
    if (pts.size > 1) { moved = true; capture(e); }
    begin();
  });
  function capture(e) { try { svg.setPointerCapture(e.pointerId); } catch (_) { /* pointer already gone */ } svg.classList.add('dragging'); }
  svg.addEventListener('pointermove', e => {
    const p = pts.get(e.pointerId);
    if (!p || !gest) return;
    p.x = e.clientX; p.y = e.clientY;
    const m = mid(Array.from(pts.values()));
    if (!moved) {
      if (Math.hypot(m.x - gest.sx, m.y - gest.sy) < 6) return;
      moved = true;
      capture(e);
    }
    const z = pts.size > 1 && gest.d > 0 ? gest.z * m.d / gest.d : gest.z, v = unit(clamp(z, 1, ZMAX));
    view(z, gest.x - (m.x - rect.left - rect.width / 2) * v, gest.y - (m.y - rect.top - rect.height / 2) * v);
  });
  const end = e => {
    if (!pts.delete(e.pointerId)) return;
    begin();
    if (!pts.size) { svg.classList.remove('dragging'); if (moved) save(); }
  };
  svg.addEventListener('pointerup', end);
  svg.addEventListener('pointercancel', end);
  svg.addEventListener('dragstart', e => e.preventDefault());
  svg.addEventListener('wheel', e => {
    const dy = e.deltaY * (e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1);
    const z = clamp(st.z * Math.exp(-dy * 0.002), 1, ZMAX);
    if (Math.abs(z - st.z) < 1e-3) return; // at a limit: let the page scroll
    e.preventDefault();
    zoomAt(z, e.clientX, e.clientY);
    saveSoon();
  }, { passive: false });
  zoomBar.addEventListener('click', e => {
    const b = e.target.closest('button');
    if (!b) return;
    const w = b.getAttribute('data-z');
    if (w === 'reset') view(1, X0 + W / 2, Y0 + H / 2); else zoomBy(w === 'in' ? 1.6 : 1 / 1.6);
    save();
  });
  svg.addEventListener('keydown', e => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const k = e.key, step = W / st.z / 8, mark = e.target.closest && e.target.closest('.mark');
    if (mark && (k === ' ' || k === 'Spacebar')) { e.preventDefault(); open(mark, true); return; }
    const pan = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] }[k];
    if (pan) view(st.z, st.cx + pan[0], st.cy + pan[1]);
    else if (k === '+' || k === '=') zoomBy(1.6);
    else if (k === '-' || k === '_' || k === '−') zoomBy(1 / 1.6);
    else if (k === '0') view(1, X0 + W / 2, Y0 + H / 2);
    else return;
    e.preventDefault();
    saveSoon();
  });
  // Keep a mark reached with Tab inside the view.
  svg.addEventListener('focusin', e => {
    const a = e.target.closest && e.target.closest('.mark'), m = a && byId[a.getAttribute('data-id')];
    if (!m) return;
    const w = W / st.z / 2, h = H / st.z / 2;
    if (Math.abs(m.x - st.cx) > w * 0.9 || Math.abs(m.y - st.cy) > h * 0.9) { view(st.z, m.x, m.y); saveSoon(); }
  });
  if (window.ResizeObserver) new ResizeObserver(() => scale()).observe(svg); else window.addEventListener('resize', scale);

  // ---- popup
  let opener = null;
  svg.addEventListener('click', e => {
    if (moved) { moved = false; if (e.detail) { e.preventDefault(); return; } } // the end of a drag
    if (e.button > 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return; // new tab or window: let the link work
    let a = e.target.closest && e.target.closest('.mark');
    if (!a) { // a tap beside a small mark still hits it
      rect = svg.getBoundingClientRect();
      const u = unit(st.z), x = st.cx + (e.clientX - rect.left - rect.width / 2) * u, y = st.cy + (e.clientY - rect.top - rect.height / 2) * u;
      let best = 14 * u;
      marks.forEach(m => { const d = Math.hypot(m.x - x, m.y - y) - radius(m.n) * u; if (m.n && d < best) { best = d; a = m.a; } });
    }
    if (a) { e.preventDefault(); open(a, true); }
  });
  function open(a, focus) {
    opener = a;
    show(a.getAttribute('data-id'), focus);
    save();
  }
  function show(id, focus) {
    const m = byId[id];
    if (!m) return;
    st.place = id;
    marks.forEach(k => k.a.classList.toggle('sel', k === m));
    pop.hidden = false;
    const P = (window.RUZSHOMAR_PLACES || {})[id];
    if (P) render(P, focus);
    else {
      html(pop, head(m.name) + `<p class="mp-loading">${esc(T.loading)}</p>`);
      if (focus) $('map-popup-title').focus();
      if (m.loading) return;
      m.loading = true;
      const s = doc.createElement('script');
      s.src = root + 'map/places/' + encodeURIComponent(id) + '.js';
      s.onload = () => { if (st.place === id && (window.RUZSHOMAR_PLACES || {})[id]) render(window.RUZSHOMAR_PLACES[id], false); };
      s.onerror = () => { m.loading = false; if (st.place === id) location.href = m.a.getAttribute('href'); };
      doc.head.appendChild(s);
    }
  }
  function head(name) {
    return `<div class="mp-head"><h2 id="map-popup-title" tabindex="-1">${esc(name)}</h2><button type="button" class="mp-close" aria-label="${esc(T.close)}" title="${esc(T.close)}">×</button></div>`;
  }
  function render(P, focus) {
    const ev = P.events.filter(e => e.day >= st.from && e.day <= st.to && st.kinds.has(e.kind));
    const had = doc.activeElement && pop.contains(doc.activeElement);
    html(pop, head(P.name) + `<p class="mp-n">${esc(count(ev.length))}</p><ol class="mp-events">` + ev.map(e => {
      const k = D.kinds[e.kind] || {};
      return `<li><p class="mp-meta"><time datetime="${esc(D.days[e.day])}">${esc(e.date)}</time> <span class="kind kind-${esc(k.id)}">${esc(k.label)}</span></p>` +
        `<a class="mp-title" href="${esc(root + e.url)}">${esc(e.title)}</a>` +
        (e.sources.length ? `<p class="mp-sl">${esc(T.sources)}</p><ul class="mp-src">` + e.sources.map(s =>
          `<li>${/^https?:\/\//.test(s.url) ? `<a href="${esc(s.url)}" rel="noopener noreferrer external" title="${esc(s.title)}">${esc(s.publisher)}</a>` : esc(s.publisher)}` +
          (s.affiliation ? ` <span class="aff">${esc(s.affiliation)}</span>` : '') + '</li>').join('') + '</ul>' : '') + '</li>';
    }).join('') + `</ol><p class="mp-all"><a href="${esc(root + P.url)}">${esc(T.open_place)}</a></p>`);
    if (focus || had) $('map-popup-title').focus();
  }
  function close(back) {
    if (pop.hidden) return;
    pop.hidden = true;
    html(pop, '');
    st.place = null;
    marks.forEach(k => k.a.classList.remove('sel'));
    save();
    if (back && opener && !opener.classList.contains('off')) opener.focus();
  }
  pop.addEventListener('click', e => { if (e.target.closest('.mp-close')) close(true); });
  doc.addEventListener('keydown', e => { if (e.key === 'Escape' && !pop.hidden) { e.preventDefault(); close(true); } });

  // ---- controls
  sel.addEventListener('change', () => {
    const p = periods.find(p => p.id === sel.value);
    st.from = p ? p.a : 0; st.to = p ? p.b : LAST;
    filter(); save();
  });
  [rFrom, rTo].forEach(r => r.addEventListener('input', () => {
    const a = +rFrom.value, b = +rTo.value;
    if (r === rFrom) { st.from = a; st.to = Math.max(a, b); } else { st.to = b; st.from = Math.min(a, b); }
    filter(); saveSoon();
  }));
  box.addEventListener('change', e => {
    if (e.target.type !== 'checkbox') return;
    st.kinds = new Set(boxes.filter(b => b.checked).map(b => +b.value));
    D.kinds.forEach((k, i) => { if (!used.has(i)) st.kinds.add(i); });
    filter(); save();
  });

  // ---- the URL: #from=2026-01-03&to=2026-01-07&kinds=protest,strike&z=2.00,500,400&place=tehran
  let timer = 0;
  function saveSoon() { clearTimeout(timer); timer = setTimeout(save, 300); }
  function save() {
    clearTimeout(timer);
    view(+st.z.toFixed(2), Math.round(st.cx), Math.round(st.cy)); // what the URL can say
    const q = [];
    if (st.from > 0) q.push('from=' + D.days[st.from]);
    if (st.to < LAST) q.push('to=' + D.days[st.to]);
    if (boxes.some(b => !b.checked)) q.push('kinds=' + boxes.filter(b => b.checked).map(b => D.kinds[b.value].id).join(','));
    if (st.z > 1.01) q.push('z=' + [st.z.toFixed(2), Math.round(st.cx), Math.round(st.cy)].join(','));
    if (st.place) q.push('place=' + encodeURIComponent(st.place));
    try { history.replaceState(history.state, '', location.pathname + location.search + (q.length ? '#' + q.join('&') : '')); } catch (_) { /* some file:// contexts */ }
  }
  function restore() {
    const q = {};
    location.hash.slice(1).split('&').forEach(kv => { const i = kv.indexOf('='); if (i > 0) try { q[kv.slice(0, i)] = decodeURIComponent(kv.slice(i + 1)); } catch (_) { /* bad escape */ } });
    let a = 0, b = LAST;
    if (q.from) { a = D.days.findIndex(d => d >= q.from); if (a < 0) a = LAST; }
    if (q.to) { b = 0; D.days.forEach((d, i) => { if (d <= q.to) b = i; }); }
    st.from = Math.min(a, b); st.to = Math.max(a, b);
    st.kinds = new Set(D.kinds.map((k, i) => i));
    if ('kinds' in q) {
      const on = q.kinds.split(',');
      st.kinds = new Set(D.kinds.map((k, i) => (!used.has(i) || on.indexOf(k.id) >= 0 ? i : -1)).filter(i => i >= 0));
    }
    const z = (q.z || '').split(',').map(Number);
    filter();
    if (z.length === 3 && z.every(isFinite)) view(z[0], z[1], z[2]); else view(1, X0 + W / 2, Y0 + H / 2);
    if (q.place && byId[q.place]) { opener = byId[q.place].a; show(q.place, false); } else close(false);
  }
  window.addEventListener('hashchange', () => { if (location.hash.indexOf('=') > 0) restore(); });
  restore();
})();
