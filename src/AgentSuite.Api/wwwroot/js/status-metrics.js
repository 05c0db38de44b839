// The operations figures on the Status tab: turns, approvals, denials and failures over the last hour and day, each
// with a sparkline of its buckets, from GET /api/status/metrics. An Api without that route (404) shows nothing.
import { getJson } from './api.js';
import { fill, h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WINDOW_NAMES = { hour: 'Last hour', day: 'Last day' };

let served = true;

/** Fills section with the figures, or hides it when the Api serves none. */
export async function refreshMetrics(section) {
  if (!served) return;
  let metrics;
  try {
    metrics = await getJson('/api/status/metrics');
  } catch (error) {
    // 404: this Api does not serve the figures, so it is not asked again; another error leaves the last figures up.
    if (error.status === 404) {
      served = false;
      section.hidden = true;
      fill(section);
    }
    return;
  }
  const windows = metrics?.windows ?? [];
  section.hidden = windows.length === 0;
  fill(section, windows.map(windowStrip));
}

function windowStrip(w) {
  const turns = w.turns ?? {};
  const approvals = w.approvals ?? {};
  const denials = w.denials ?? {};
  const failures = w.failures ?? {};
  return h('div', { class: 'metrics-window', dataset: { window: w.window } },
    h('h3', {}, WINDOW_NAMES[w.window] ?? w.window),
    figure('turns', 'Turns', number(turns.count), `${number(turns.completed)} completed, ${number(turns.failed)} failed`, turns.buckets),
    figure('turn-time', 'Turn time', `${ms(turns.p50Ms)} / ${ms(turns.p95Ms)}`, 'p50 / p95', null),
    figure('approvals', 'Approvals per turn', decimal(approvals.perTurn), `${number(approvals.requested)} asked; wait ${seconds(approvals.waitP50Seconds)} / ${seconds(approvals.waitP95Seconds)}`, approvals.buckets),
    figure('denials', 'Denials', number(denials.total), top(denials.byStage), denials.buckets),
    figure('failures', 'Failures', number(failures.total), top(failures.byTool), failures.buckets));
}

function figure(key, label, value, detail, buckets) {
  return h('div', { class: 'metric', dataset: { figure: key } },
    h('span', { class: 'metric-label' }, label),
    h('strong', { class: 'metric-value' }, value),
    buckets?.length ? sparkline(buckets) : null,
    detail ? h('span', { class: 'metric-detail muted' }, detail) : null);
}

/** An inline SVG line over the buckets: attributes only, no inline style, so the page's CSP allows it. */
function sparkline(buckets) {
  const width = 96;
  const height = 24;
  const max = Math.max(1, ...buckets.map(b => Number(b) || 0));
  const step = buckets.length > 1 ? width / (buckets.length - 1) : width;
  const points = buckets.map((b, i) => `${(i * step).toFixed(1)},${(height - 1 - ((Number(b) || 0) / max) * (height - 2)).toFixed(1)}`).join(' ');
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('aria-hidden', 'true');
  const line = document.createElementNS(SVG, 'polyline');
  line.setAttribute('points', buckets.length > 1 ? points : `0,${height - 1} ${width},${height - 1}`);
  svg.append(line);
  return svg;
}

function top(counts) {
  const entries = Object.entries(counts ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 2);
  return entries.length ? entries.map(([name, n]) => `${name} ${n}`).join(', ') : 'none';
}

function number(n) {
  return n == null ? '–' : String(n);
}

function decimal(n) {
  return n == null ? '–' : Number(n).toFixed(2);
}

function ms(n) {
  if (n == null) return '–';
  return n >= 1000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
}

function seconds(n) {
  return n == null ? '–' : `${Math.round(n)} s`;
}
