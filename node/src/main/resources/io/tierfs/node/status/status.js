// TierFS status page: reads the node's REST API (the same the CLI uses) every 2 s and renders it.
// No libraries: plain DOM and SVG, all served by the gateway.
'use strict';
(function () {
  const REFRESH_MS = 2000;
  const COLORS = ['#3b82f6', '#10b981', '#f59e0b', '#8b5cf6', '#ef4444', '#14b8a6'];
  const $ = (id) => document.getElementById(id);

  function takeToken() {
    const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
    if (fromHash) {
      sessionStorage.setItem('tierfs.token', fromHash);
      return fromHash;
    }
    return sessionStorage.getItem('tierfs.token');
  }

  function human(bytes) {
    if (bytes < 1024) return bytes + ' B';
    const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    let v = bytes, u = -1;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[u];
  }

  function time(ms) {
    return ms ? new Date(ms).toLocaleTimeString() : '-';
  }

  function cell(text, cls) {
    const td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    return td;
  }

  function setNumber(id, value, text) {
    const el = $(id);
    el.dataset.value = String(value);
    el.textContent = text === undefined ? String(value) : text;
  }

  async function api(token, path) {
    const r = await fetch(path, { headers: { Authorization: 'Bearer ' + token }, cache: 'no-store' });
    const body = await r.text();
    if (!r.ok) {
      let detail = body;
      try { detail = JSON.parse(body).detail || body; } catch (e) { /* not JSON */ }
      throw new Error(path + ': ' + r.status + ' ' + detail);
    }
    return JSON.parse(body);
  }

  function renderTiers(st) {
    const tbody = $('tiers').tBodies[0];
    tbody.replaceChildren();
    for (const t of st.tiers) {
      const tr = document.createElement('tr');
      tr.dataset.tier = t.name;
      tr.dataset.capacityBytes = t.capacityBytes;
      tr.dataset.usedBytes = t.usedBytes;
      tr.dataset.files = t.files;
      tr.dataset.chunks = t.chunks;
      const pct = t.capacityBytes > 0 ? 100 * t.usedBytes / t.capacityBytes : 0;
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.title = t.usedBytes + ' of ' + t.capacityBytes + ' bytes';
      const fill = document.createElement('div');
      fill.className = 'fill' + (pct >= 100 * t.highWatermark ? (pct >= 99 ? ' full' : ' high') : '');
      fill.style.width = Math.min(100, pct).toFixed(2) + '%';
      bar.appendChild(fill);
      for (const w of [t.lowWatermark, t.highWatermark]) {
        const m = document.createElement('div');
        m.className = 'mark';
        m.style.left = (100 * w).toFixed(1) + '%';
        bar.appendChild(m);
      }
      const barTd = document.createElement('td');
      barTd.appendChild(bar);
      tr.append(cell(t.name), cell(t.kind.toLowerCase()), barTd, cell(human(t.usedBytes), 'num used'),
        cell(human(t.capacityBytes), 'num capacity'), cell(pct.toFixed(1) + '%', 'num pct'),
        cell(String(t.files), 'num files'), cell(String(t.chunks), 'num chunks'));
      tbody.appendChild(tr);
    }
  }

  function renderMover(st, db) {
    const m = st.mover;
    setNumber('mover-queued', m.queued);
    setNumber('mover-running', m.running);
    setNumber('mover-done', m.done);
    setNumber('mover-failed', m.failed);
    setNumber('mover-bytes-down', db.migrations.bytesDown, human(db.migrations.bytesDown));
    setNumber('mover-bytes-up', db.migrations.bytesUp, human(db.migrations.bytesUp));
    const running = $('migrations-running').tBodies[0];
    running.replaceChildren();
    for (const mv of db.migrations.inProgress) {
      const tr = document.createElement('tr');
      tr.dataset.ino = mv.ino;
      tr.append(cell(time(mv.startMillis)), cell(String(mv.ino), 'num'), cell(String(mv.chunk), 'num'),
        cell(mv.from), cell(mv.to));
      running.appendChild(tr);
    }
    if (db.migrations.inProgress.length === 0) {
      const tr = document.createElement('tr');
      tr.append(cell('none', 'note'));
      running.appendChild(tr);
    }
    const recent = $('migrations-recent').tBodies[0];
    recent.replaceChildren();
    for (const mv of db.migrations.recent) {
      const tr = document.createElement('tr');
      tr.className = 'migration';
      tr.dataset.ino = mv.ino;
      tr.dataset.chunk = mv.chunk;
      tr.dataset.from = mv.from;
      tr.dataset.to = mv.to;
      tr.dataset.bytes = mv.bytes;
      tr.dataset.result = mv.result;
      tr.append(cell(time(mv.endMillis)), cell(String(mv.ino), 'num'), cell(String(mv.chunk), 'num'),
        cell(mv.from), cell(mv.to), cell(human(mv.bytes), 'num'), cell((mv.endMillis - mv.startMillis) + ' ms', 'num'),
        cell(mv.result));
      recent.appendChild(tr);
    }
  }

  function renderMemory(db) {
    const tbody = $('memory').tBodies[0];
    tbody.replaceChildren();
    for (const n of db.memory) {
      const tr = document.createElement('tr');
      tr.dataset.node = n.node;
      tr.dataset.lentBytes = n.lentBytes;
      tr.append(cell(n.node), cell(human(n.offeredBytes), 'num'), cell(human(n.lentBytes), 'num'),
        cell(human(n.usedBytes), 'num'), cell(human(n.dirtyBytes), 'num'));
      tbody.appendChild(tr);
    }
  }

  // A line chart of series (arrays of [timeMillis, value]) over the last hour ending at `now`.
  function chart(svgId, legendId, now, series, maxValue, yLabel) {
    const svg = $(svgId);
    const W = 600, H = 200, L = 66, R = 8, T = 8, B = 20;
    const x = (t) => L + (W - L - R) * (1 - (now - t) / 3600000);
    const y = (v) => T + (H - T - B) * (1 - (maxValue > 0 ? v / maxValue : 0));
    let out = '';
    for (let i = 0; i <= 4; i++) {
      const v = maxValue * i / 4;
      out += '<line x1="' + L + '" x2="' + (W - R) + '" y1="' + y(v) + '" y2="' + y(v) + '" stroke="#eef"/>';
      out += '<text x="' + (L - 4) + '" y="' + (y(v) + 3) + '" text-anchor="end">' + yLabel(v) + '</text>';
    }
    for (const mins of [60, 45, 30, 15, 0]) {
      out += '<text x="' + x(now - mins * 60000) + '" y="' + (H - 5) + '" text-anchor="middle">' + (mins ? '-' + mins + ' min' : 'now') + '</text>';
    }
    const legend = $(legendId);
    legend.replaceChildren();
    series.forEach((s, i) => {
      const color = COLORS[i % COLORS.length];
      if (s.points.length > 0) {
        const d = s.points.map((p, j) => (j ? 'L' : 'M') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1)).join(' ');
        out += '<path d="' + d + '" fill="none" stroke="' + color + '" stroke-width="1.8"/>';
      }
      const item = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.style.background = color;
      item.append(swatch, document.createTextNode(s.name));
      legend.appendChild(item);
    });
    svg.innerHTML = out;
  }

  function renderCharts(st, db) {
    const now = db.timeMillis;
    const hist = db.history.filter((s) => now - s.timeMillis <= 3600000);
    const usage = st.tiers.map((t, i) => ({
      name: t.name,
      points: hist.map((s) => [s.timeMillis, t.capacityBytes > 0 ? 100 * (s.usedBytes[i] || 0) / t.capacityBytes : 0]),
    }));
    chart('usage-chart', 'usage-legend', now, usage, 100, (v) => v.toFixed(0) + '%');
    const down = hist.map((s) => [s.timeMillis, s.moverDownBytesPerSec]);
    const up = hist.map((s) => [s.timeMillis, s.moverUpBytesPerSec]);
    let max = 1024;
    for (const p of down.concat(up)) max = Math.max(max, p[1]);
    chart('mover-chart', 'mover-legend', now, [{ name: 'down', points: down }, { name: 'up (promotions)', points: up }],
      max * 1.1, (v) => human(Math.round(v)) + '/s');
  }

  function render(st, db) {
    $('version').textContent = st.version;
    $('node').textContent = st.node;
    $('mount').textContent = st.mountPoint || 'not mounted';
    $('state-dir').textContent = st.stateDir;
    setNumber('inodes', st.inodes);
    renderTiers(st);
    renderMover(st, db);
    renderMemory(db);
    renderCharts(st, db);
  }

  function setState(state, text) {
    const el = $('state');
    el.dataset.state = state;
    el.textContent = text;
  }

  let token = takeToken();
  let refreshes = 0;

  async function refresh() {
    if (!token) {
      $('login').hidden = false;
      setState('error', 'no token');
      return;
    }
    try {
      const [st, db] = await Promise.all([api(token, '/api/v1/status'), api(token, '/api/v1/dashboard')]);
      render(st, db);
      refreshes++;
      document.body.dataset.refreshes = String(refreshes);
      $('updated').textContent = new Date().toLocaleTimeString();
      setState('ok', 'ok');
    } catch (e) {
      setState('error', e.message);
      if (/ 401 /.test(e.message)) $('login').hidden = false;
    }
  }

  $('login-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    token = $('token').value.trim();
    sessionStorage.setItem('tierfs.token', token);
    $('login').hidden = true;
    refresh();
  });

  refresh();
  setInterval(refresh, REFRESH_MS);
})();
