// A queue's charts and live jobs, one state at a time, paged by key; and one job, live or
// dead-lettered, with its deliveries.

import * as api from '../lib/api.js';
import { h, num, time, table, notice } from '../lib/dom.js';
import { Pager } from '../lib/pager.js';
import { payloadBlock } from './payload.js';
import { dedupeForm } from './dedupe.js';
import { canOperate, say } from '../lib/session.js';
import { chartsBlock } from './charts.js';

const STATES = ['ready', 'scheduled', 'running'];
const TIMES = new Set(['enqueued_at', 'run_at', 'lease_until', 'lease_start', 'failed_at']);

export async function jobsView(ctx) {
  const queue = ctx.params[0];
  const state = STATES.includes(ctx.query.get('state')) ? ctx.query.get('state') : 'ready';
  const limit = Number(ctx.query.get('limit')) || 50;
  const pager = new Pager((after) => api.get(`queues/${api.enc(queue)}/jobs` + api.qs({ state, limit, after })));
  const tabs = h('div', { class: 'toolbar', role: 'navigation', 'aria-label': 'Job states' },
    ...STATES.map((s) => h('a', { href: `#/queues/${api.enc(queue)}?state=${s}`, 'aria-current': s === state ? 'page' : null }, s)),
    h('a', { href: `#/queues/${api.enc(queue)}/dead` }, 'dead letters'),
    h('a', { href: `#/queues/${api.enc(queue)}/search`, id: 'search-link' }, 'search'));
  const body = h('div', { id: 'jobs' });

  const show = (page) => {
    if (!page) return;
    body.replaceChildren(
      page.jobs.length ? table([
        { key: 'id', label: 'Id', render: (r) => h('a', { href: `#/queues/${api.enc(queue)}/jobs/${r.id}` }, String(r.id)) },
        { key: 'name', label: 'Name' },
        { key: 'attempts', label: 'Attempts', num: true, render: (r) => `${num(r.attempts)} / ${num(r.max_attempts)}` },
        { key: 'enqueued_at', label: 'Enqueued', render: (r) => time(r.enqueued_at) },
        { key: 'run_at', label: state === 'running' ? 'Lease until' : 'Run at', render: (r) => time(r.run_at ?? r.lease_until) },
        { key: 'last_error', label: 'Last error', render: (r) => r.last_error || '–' },
      ], page.jobs, (r) => ({ 'data-id': r.id })) : h('p', { class: 'muted' }, `No ${state} jobs` + (pager.index ? ' on this page.' : '.')),
      pager.controls(show));
  };
  const charts = chartsBlock(queue);
  try {
    show(await pager.show());
  } catch (e) {
    body.replaceChildren(notice('error', e.message));
  }
  return [h('h1', { tabindex: '-1' }, `Queue ${queue}: ${state} jobs`), ...(await charts), h('h2', {}, 'Jobs'), tabs, body, dedupeForm(queue)];
}

function field(k, v) {
  if (TIMES.has(k)) return time(v);
  if (k === 'attempts' || k === 'max_attempts' || k === 'extends') return num(v);
  return v === null || v === undefined || v === '' ? '–' : String(v);
}

/** The shell command that does what an operator would do next with this job. */
function command(queue, job) {
  return job.state === 'dead' ? `piri-db dead requeue ${queue} ${job.dead_id}` : `piri-db show ${queue} ${job.id}`;
}

export async function jobView(ctx) {
  const [queue, id] = ctx.params;
  const base = `queues/${api.enc(queue)}/jobs/${id}`;
  const job = (await api.get(base)).job;
  const out = [h('h1', { tabindex: '-1' }, `Job ${id} in ${queue}: ${job.state}`)];
  if (job.state === 'dead') {
    out.push(h('p', {}, `Dead-lettered (${job.reason}). `,
      h('a', { href: `#/queues/${api.enc(queue)}/dead/${job.dead_id}` }, `Dead letter ${job.dead_id}`)));
  }
  out.push(h('dl', { class: 'kv', id: 'job-fields' }, ...Object.entries(job).filter(([k]) => !k.startsWith('payload'))
    .flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-field': k }, field(k, v))])));
  out.push(payloadBlock(job, canOperate() ? async () => (await api.post(`${base}/reveal`)).job : null, say));
  out.push(h('h2', {}, 'Deliveries'));
  const deliveries = h('div', { id: 'deliveries' });
  const pager = new Pager((after) => api.get(`${base}/deliveries` + api.qs({ limit: 100, after })));
  const show = (page) => {
    if (!page) return;
    deliveries.replaceChildren(page.deliveries.length ? table([
      { key: 'attempt', label: 'Attempt', num: true },
      { key: 'lease_start', label: 'Lease start', render: (r) => time(r.lease_start) },
      { key: 'lease_end', label: 'Lease end', render: (r) => time(r.lease_end) },
      { key: 'extends', label: 'Extends', num: true },
      { key: 'outcome', label: 'Outcome', render: (r) => r.outcome.replace('_', ' ') },
      { key: 'error', label: 'Error', render: (r) => r.error || '–' },
    ], page.deliveries, (r) => ({ 'data-attempt': r.attempt, class: r.outcome === 'running' ? null : 'failed' }))
      : h('p', { class: 'muted' }, 'Not delivered yet.'), pager.controls(show));
  };
  try {
    show(await pager.show());
  } catch (e) {
    deliveries.replaceChildren(notice('error', e.message));
  }
  out.push(deliveries);
  const cli = command(queue, job);
  out.push(h('p', {}, 'From a shell: ', h('code', { id: 'cli-command' }, cli), ' ',
    h('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(cli).then(() => say('Copied.')) }, 'Copy')));
  return out;
}
