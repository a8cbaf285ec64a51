// A queue's charts from its per-minute rollups: throughput, failures, dead-letter inflow, lag and
// claim latency over the last hour or day. Read when the screen opens or the window changes,
// never on a timer: an open page costs nothing while nobody looks at another window.

import * as api from '../lib/api.js';
import { h, notice } from '../lib/dom.js';
import { lineChart } from '../lib/chart.js';

const MINUTE = 60000;
const WINDOWS = { hour: 'Last hour', day: 'Last day' };

/**
 * One value per minute of [from, to) that is over, by the node's clock (a minute's row is written
 * once it is: the store's word beats this page's clock): counts are 0 in a minute without a row,
 * measurements null.
 */
function perMinute(rows, from, to, field, absent) {
  const start = from - (from % MINUTE);
  const last = rows.length ? (rows[rows.length - 1].minute - start) / MINUTE + 1 : 0;
  const out = new Array(Math.max(1, Math.floor((to - start) / MINUTE), last)).fill(absent);
  for (const r of rows) {
    const i = (r.minute - start) / MINUTE;
    if (i >= 0 && i < out.length) out[i] = r[field] ?? absent;
  }
  return { start, values: out };
}

function charts(data) {
  const series = (field, absent) => perMinute(data.minutes, data.from, data.to, field, absent);
  const start = series('completed', 0).start;
  const count = (id, title, fields) => lineChart(id, title, start,
    fields.map(([f, name, cls]) => ({ name, cls, values: series(f, 0).values })), 'count');
  const timed = (id, title, fields) => lineChart(id, title, start,
    fields.map(([f, name, cls]) => ({ name, cls, values: series(f, null).values })), 'ms');
  const figure = (title, legend, svg) => h('figure', {}, h('figcaption', {}, title, ' ',
    ...legend.map(([name, cls]) => h('span', { class: 'key ' + cls }, name))), svg);
  const tp = [['completed', 'completed', 's1'], ['enqueued', 'enqueued', 's2']];
  const lat = [['claim_p50_ms', 'p50', 's1'], ['claim_p95_ms', 'p95', 's2'], ['claim_p99_ms', 'p99', 's3']];
  return [
    figure('Throughput (jobs/min)', tp.map(([, n, c]) => [n, c]), count('throughput', 'Throughput', tp)),
    figure('Failures (attempts/min)', [['failed', 's4']], count('failures', 'Failures', [['failed', 'failed', 's4']])),
    figure('Dead-letter inflow (jobs/min)', [['dead', 's4']], count('dead', 'Dead-letter inflow', [['dead', 'dead', 's4']])),
    figure('Lag (age of the oldest ready job)', [['lag', 's3']], timed('lag', 'Lag', [['lag_ms', 'lag', 's3']])),
    figure('Claim latency', lat.map(([, n, c]) => [n, c]), timed('claim', 'Claim latency', lat)),
  ];
}

export function chartsBlock(queue) {
  const body = h('div', { class: 'charts', id: 'charts', 'aria-live': 'polite' });
  const buttons = Object.entries(WINDOWS).map(([w, text]) => h('button', { type: 'button', 'data-window': w,
    onclick: () => show(w) }, text));
  async function show(w) {
    for (const b of buttons) b.setAttribute('aria-pressed', String(b.dataset.window === w));
    try {
      const data = await api.get(`queues/${api.enc(queue)}/rollups` + api.qs({ window: w }));
      body.replaceChildren(...charts(data));
      body.dataset.window = w;
      body.dataset.minutes = String(data.minutes.length);
    } catch (e) {
      body.replaceChildren(notice(e.status === 501 ? 'note' : 'error', e.message));
    }
  }
  const loaded = show('hour');
  const block = [
    h('h2', {}, 'Activity per minute'),
    h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Chart window' }, ...buttons,
      h('span', { class: 'muted' }, 'A minute shows once it is over; on PostgreSQL every instance\'s share is added in.')),
    body,
  ];
  return loaded.then(() => block);
}
