// The alerts dashboard page: loads /api/state, then applies the changes that /events
// streams (server-sent events), each once: an event whose seq the snapshot already holds
// is skipped. After a dropped stream it reloads the snapshot. It keeps no more than the
// server's limits (points per chart, history) so that an open page stays bounded too.
'use strict';

const RANK = { ok: 0, info: 1, warning: 2, critical: 3 };
const SEVERITY_COLOR = { critical: 'rgba(198,40,40,0.18)', warning: 'rgba(224,138,0,0.18)',
                         info: 'rgba(30,111,217,0.14)' };

const state = {
  seq: 0, open: new Map(), history: [], devices: new Map(), limits: {}, status: null,
  counters: {}, loaded: false, pending: [], reloadAfter: false,
};
const filters = { gateway: '', site: '', device_class: '', device: '', severity: '' };
const charts = new Map();  // sensor -> Chart, for the device on view
let chartDevice = null;

// ---- formatting --------------------------------------------------------------------
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v; else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
};
const pad = (n) => String(n).padStart(2, '0');
const clock = (ms) => { const d = new Date(ms); return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`; };
const stamp = (ms) => { const d = new Date(ms); return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clock(ms)}`; };
function duration(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}
const num = (v) => (v === null || v === undefined ? '–' : Number(v).toPrecision(4).replace(/\.?0+$/, ''));
// "rule bearing_overheat" for source rule:bearing_overheat; "detector ewma" otherwise.
const raisedBy = (a) => (a.source.startsWith(`${a.origin}:`) ? `${a.origin} ${a.source.slice(a.origin.length + 1)}` : `${a.origin} ${a.source}`);
const badge = (severity) => el('span', { class: `sev ${severity}`, text: severity });
const deviceLink = (key, text) => el('a', { href: `#/device/${encodeURIComponent(key)}`, class: 'device-link', text });

function evidenceText(a) {
  const e = a.evidence || {};
  const parts = [];
  if (e.statistic !== undefined && e.statistic !== null) parts.push(`statistic ${num(e.statistic)}${e.unit ? ' ' + e.unit : ''}`);
  if (e.threshold !== undefined && e.threshold !== null) parts.push(`threshold ${num(e.threshold)}`);
  if (a.score !== null && a.score !== undefined) parts.push(`score ${num(a.score)}`);
  for (const s of e.sensors || []) parts.push(`${s.sensor} ${num(s.value)} (expected ${num(s.expected)})`);
  if (e.window_ms) parts.push(`over ${duration(e.window_ms)}`);
  return parts.join(' · ');
}

// ---- filters -----------------------------------------------------------------------
const deviceOf = (a) => state.devices.get(a.device_key);
function healthOf(key) {
  let worst = 'ok';
  for (const a of state.open.values()) if (a.device_key === key && RANK[a.severity] > RANK[worst]) worst = a.severity;
  return worst;
}
function passes(item, severity) {
  return (!filters.gateway || item.gateway === filters.gateway) && (!filters.site || item.site === filters.site) &&
    (!filters.device_class || item.device_class === filters.device_class) &&
    (!filters.device || item.device === filters.device) &&
    (!filters.severity || RANK[severity] >= RANK[filters.severity]);
}
const alertPasses = (a) => passes({ ...a, device_class: (deviceOf(a) || a).device_class || a.device_class }, a.severity);

function fillSelect(id, values) {
  const select = document.getElementById(id);
  const chosen = select.value;
  const options = [el('option', { value: '', text: 'all' })];
  for (const v of [...values].filter((x) => x).sort()) options.push(el('option', { value: v, text: v }));
  select.replaceChildren(...options);
  select.value = [...values].includes(chosen) ? chosen : '';
}
function renderFilterOptions() {
  const items = [...state.devices.values(), ...state.open.values()];
  fillSelect('f-gateway', new Set(items.map((d) => d.gateway)));
  fillSelect('f-site', new Set(items.map((d) => d.site)));
  fillSelect('f-class', new Set(items.map((d) => d.device_class)));
  fillSelect('f-device', new Set(items.map((d) => d.device)));
}

// ---- applying the snapshot and events ----------------------------------------------
function loadSnapshot() {
  state.loaded = false;
  return fetch('/api/state').then((r) => r.json()).then((snap) => {
    state.seq = snap.seq;
    state.limits = snap.limits;
    state.open = new Map(snap.open_alerts.map((a) => [a.key, a]));
    state.history = snap.history.slice().reverse();  // oldest first, like the server's
    state.devices = new Map(snap.devices.map((d) => [d.key, d]));
    applyStatus(snap.status);
    state.loaded = true;
    const pending = state.pending;
    state.pending = [];
    if (state.reloadAfter) { state.reloadAfter = false; loadSnapshot(); return; }
    for (const [type, data] of pending) applyEvent(type, data);
    renderSoon();
  }).catch(() => setTimeout(loadSnapshot, 2000));
}

function forget(devices) {
  for (const key of devices || []) state.devices.delete(key);
}
function mergeDevice(view) {
  const held = state.devices.get(view.key) || { charts: {}, episodes: [] };
  const merged = { ...held, ...view, charts: held.charts, episodes: held.episodes };
  state.devices.set(view.key, merged);
  return merged;
}
// Events that arrive while a snapshot loads wait for it, up to this many; past it they
// are dropped and the snapshot is loaded again once this one is in.
const MAX_PENDING = 5000;
function applyEvent(type, data) {
  if (!state.loaded) {
    if (state.pending.length < MAX_PENDING) state.pending.push([type, data]);
    else state.reloadAfter = true;
    return;
  }
  if (data.seq !== undefined) {
    if (data.seq <= state.seq) return;  // already in the snapshot
    state.seq = data.seq;
  }
  if (type === 'alert') applyAlert(data);
  else if (type === 'aggregate') applyAggregate(data);
  else if (type === 'prediction') { forget(data.evicted_devices); mergeDevice(data.device); }
  renderSoon();
}
function applyAlert(data) {
  const a = data.alert;
  forget(data.evicted_devices);
  const gone = new Set(data.evicted_alerts || []);
  for (const key of gone) state.open.delete(key);
  if (a.state === 'cleared') {
    state.open.delete(a.key);
    state.history.push(a);
    const dev = state.devices.get(a.device_key);
    if (dev) {
      dev.episodes.push({ id: a.id, source: a.source, severity: a.severity, raised: a.raised, cleared: a.cleared });
      while (dev.episodes.length > (state.limits.max_device_episodes || 20)) dev.episodes.shift();
    }
  } else {
    state.open.set(a.key, a);
  }
  state.history = state.history.filter((h) => !gone.has(h.key));
  while (state.history.length > (state.limits.max_history || 500)) state.history.shift();
  if (!state.devices.has(a.device_key)) {
    mergeDevice({ key: a.device_key, gateway: a.gateway, site: a.site, device: a.device,
                  device_class: a.device_class, last: a.ts, prediction: null });
  } else if (a.device_class) {
    state.devices.get(a.device_key).device_class = a.device_class;
  }
}
function applyAggregate(data) {
  forget(data.evicted_devices);
  const dev = mergeDevice(data.device);
  const points = dev.charts[data.sensor] || (dev.charts[data.sensor] = []);
  const t = data.point[0];
  let i = points.length;
  while (i > 0 && points[i - 1][0] > t) i--;
  if (i > 0 && points[i - 1][0] === t) points[i - 1] = data.point; else points.splice(i, 0, data.point);
  while (points.length > (state.limits.max_points || 120)) points.shift();
}
function applyStatus(status) {
  if (!status) return;
  state.status = status;
  const kafka = document.getElementById('kafka-status');
  if (status.kafka.reachable) {
    kafka.textContent = `Kafka connected · group ${status.group}`;
    kafka.className = 'status';
  } else {
    kafka.textContent = `Kafka unreachable since ${stamp(status.kafka.unreachable_since)}`;
    kafka.className = 'status bad';
  }
  const c = status.counters;
  const evicted = c.evicted_devices + c.evicted_open_alerts + c.evicted_history + c.evicted_points + c.evicted_sensors;
  document.getElementById('counters').textContent =
    `records: ${c.alerts} alerts · ${c.aggregates} aggregates · ${c.predictions} predictions` +
    (c.malformed ? ` · ${c.malformed} malformed` : '') + (evicted ? ` · ${evicted} evicted (limits)` : '');
}

// ---- rendering ---------------------------------------------------------------------
let renderQueued = false;
function renderSoon() {
  if (renderQueued) return;
  renderQueued = true;
  setTimeout(() => { renderQueued = false; render(); }, 200);
}
function render() {
  renderFilterOptions();
  const match = location.hash.match(/^#\/device\/(.+)$/);
  document.getElementById('overview').hidden = !!match;
  document.getElementById('device-view').hidden = !match;
  if (match) renderDevice(decodeURIComponent(match[1])); else renderOverview();
}

function openAlertRow(a, withDevice) {
  const cells = [el('td', {}, badge(a.severity)), el('td', { class: 'open-for', 'data-raised': a.raised, text: duration(Date.now() - a.raised) })];
  if (withDevice) {
    cells.push(el('td', {}, deviceLink(a.device_key, a.device)), el('td', { text: a.device_class || '–' }),
               el('td', { text: a.site === a.gateway ? a.gateway : `${a.site} / ${a.gateway}` }));
  }
  cells.push(el('td', { text: raisedBy(a) }),
             el('td', { text: a.state === 'updated' ? `updated ×${a.updates}` : a.state, title: `raised ${stamp(a.raised)}, last ${stamp(a.ts)}` }),
             el('td', { text: a.message }), el('td', { class: 'evidence', text: evidenceText(a) }));
  return el('tr', { class: `alert-row ${a.severity}`, 'data-alert-key': a.key, 'data-alert-id': a.id }, ...cells);
}

function renderOverview() {
  const open = [...state.open.values()].filter(alertPasses)
    .sort((x, y) => RANK[y.severity] - RANK[x.severity] || x.raised - y.raised);
  document.querySelector('#open-alerts tbody').replaceChildren(...open.map((a) => openAlertRow(a, true)));
  document.getElementById('no-open').hidden = open.length > 0;
  document.getElementById('open-count').textContent = `(${open.length})`;
  const bySeverity = ['critical', 'warning', 'info'].map((s) => [s, open.filter((a) => a.severity === s).length]);
  document.getElementById('severity-summary').replaceChildren(
    ...bySeverity.map(([s, n]) => el('span', {}, badge(s), ` ${n}`)));

  const devices = [...state.devices.values()].map((d) => ({ ...d, health: healthOf(d.key) }))
    .filter((d) => passes(d, d.health))
    .sort((x, y) => RANK[y.health] - RANK[x.health] || x.device.localeCompare(y.device));
  document.getElementById('device-count').textContent = `(${devices.length})`;
  document.getElementById('devices').replaceChildren(...devices.map((d) => {
    const rul = d.prediction ? ` · life ${num(d.prediction.rul)} ${d.prediction.unit}` : '';
    return el('a', { class: `device-card ${d.health}`, href: `#/device/${encodeURIComponent(d.key)}`, 'data-device-key': d.key },
      el('div', { class: 'name', text: d.device }),
      el('div', { class: 'meta', text: `${d.device_class || 'class unknown'} · ${d.site}${rul}` }),
      el('div', { class: 'meta', text: d.health === 'ok' ? 'no open alert' : `${d.health} alert open` }));
  }));

  const history = state.history.filter(alertPasses).slice().reverse();
  document.getElementById('history-count').textContent = `(${history.length})`;
  document.querySelector('#history tbody').replaceChildren(...history.map((a) => el('tr', { class: 'history-row', 'data-alert-key': a.key },
    el('td', {}, badge(a.severity)), el('td', { text: stamp(a.raised) }), el('td', { text: a.cleared ? stamp(a.cleared) : '–' }),
    el('td', { text: a.cleared ? duration(a.cleared - a.raised) : '–' }), el('td', {}, deviceLink(a.device_key, a.device)),
    el('td', { text: raisedBy(a) }), el('td', { text: a.message }))));
}

function renderDevice(key) {
  const d = state.devices.get(key);
  document.getElementById('device-title').textContent = d ? d.device : `${key} (not seen yet)`;
  if (!d) return;
  const health = healthOf(key);
  document.getElementById('device-facts').replaceChildren(badge(health),
    ` ${d.device_class || 'class unknown'} · site ${d.site} · gateway ${d.gateway} · last record ${d.last ? stamp(d.last) : '–'}`);
  const p = d.prediction;
  document.getElementById('device-prediction').textContent = p
    ? `Predicted remaining life: ${num(p.rul)} ${p.unit} (band ${num(p.rul_lower)} – ${p.rul_upper === null ? '∞' : num(p.rul_upper)}), model ${p.model}, at ${stamp(p.ts)}`
    : 'No remaining-life prediction for this device.';
  const open = [...state.open.values()].filter((a) => a.device_key === key);
  document.querySelector('#device-alerts tbody').replaceChildren(...open.map((a) => openAlertRow(a, false)));
  renderCharts(d, open);
}

// Shades each alert episode (raised to cleared, or to now while open) behind the lines.
const episodePlugin = {
  id: 'episodes',
  beforeDatasetsDraw(chart, args, options) {
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    for (const e of options.episodes || []) {
      const x0 = Math.max(scales.x.getPixelForValue(e.raised), chartArea.left);
      const x1 = Math.min(scales.x.getPixelForValue(e.cleared || Date.now()), chartArea.right);
      if (x1 <= chartArea.left || x0 >= chartArea.right) continue;
      ctx.fillStyle = SEVERITY_COLOR[e.severity] || SEVERITY_COLOR.info;
      ctx.fillRect(x0, chartArea.top, Math.max(2, x1 - x0), chartArea.bottom - chartArea.top);
    }
    ctx.restore();
  },
};

function renderCharts(d, open) {
  const container = document.getElementById('charts');
  if (chartDevice !== d.key) {
    for (const c of charts.values()) c.destroy();
    charts.clear();
    container.replaceChildren();
    chartDevice = d.key;
  }
  const episodes = [...d.episodes, ...open.map((a) => ({ raised: a.raised, cleared: null, severity: a.severity }))];
  for (const sensor of Object.keys(d.charts).sort()) {
    const points = d.charts[sensor];
    const mean = points.map((p) => ({ x: p[0], y: p[1] }));
    const low = points.map((p) => ({ x: p[0], y: p[2] }));
    const high = points.map((p) => ({ x: p[0], y: p[3] }));
    let chart = charts.get(sensor);
    if (!chart) {
      const canvas = el('canvas', { 'data-sensor': sensor });
      container.append(el('div', { class: 'chart' }, canvas));
      chart = new Chart(canvas, {
        type: 'line',
        data: { datasets: [
          { label: 'min', data: low, borderWidth: 0, pointRadius: 0, fill: false },
          { label: 'max', data: high, borderWidth: 0, pointRadius: 0, fill: '-1', backgroundColor: 'rgba(30,111,217,0.12)' },
          { label: sensor, data: mean, borderColor: '#1e6fd9', borderWidth: 1.5, pointRadius: 0 },
        ] },
        options: {
          animation: false, maintainAspectRatio: false, parsing: false, normalized: true,
          scales: { x: { type: 'linear', ticks: { callback: (v) => clock(v), maxTicksLimit: 5 } } },
          plugins: { legend: { display: false }, title: { display: true, text: sensor },
                     episodes: { episodes },
                     tooltip: { callbacks: { title: (items) => stamp(items[0].parsed.x) } } },
        },
        plugins: [episodePlugin],
      });
      charts.set(sensor, chart);
    } else {
      chart.data.datasets[0].data = low;
      chart.data.datasets[1].data = high;
      chart.data.datasets[2].data = mean;
      chart.options.plugins.episodes.episodes = episodes;
      chart.update('none');
    }
  }
}

// ---- start -------------------------------------------------------------------------
function connectEvents() {
  const live = document.getElementById('live-status');
  const source = new EventSource('/events');
  let dropped = false;
  source.onopen = () => {
    live.textContent = 'live';
    live.className = 'status';
    if (dropped) { dropped = false; loadSnapshot(); }  // events may have been missed
  };
  source.onerror = () => {
    dropped = true;
    live.textContent = 'live updates: reconnecting…';
    live.className = 'status wait';
  };
  for (const type of ['alert', 'aggregate', 'prediction']) {
    source.addEventListener(type, (e) => applyEvent(type, JSON.parse(e.data)));
  }
  source.addEventListener('status', (e) => applyStatus(JSON.parse(e.data)));
}

for (const select of document.querySelectorAll('#filters select')) {
  select.addEventListener('change', () => { filters[select.dataset.filter] = select.value; render(); });
}
window.addEventListener('hashchange', render);
setInterval(() => {  // open durations tick; open episodes on charts grow
  for (const cell of document.querySelectorAll('.open-for')) cell.textContent = duration(Date.now() - Number(cell.dataset.raised));
  if (chartDevice && !document.getElementById('device-view').hidden) for (const c of charts.values()) c.update('none');
}, 1000);
connectEvents();
loadSnapshot();
