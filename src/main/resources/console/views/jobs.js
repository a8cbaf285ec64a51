// A queue's live jobs, one state at a time, paged by key; and one job.

import * as api from '../lib/api.js';
import { h, num, time, table, notice } from '../lib/dom.js';
import { Pager } from '../lib/pager.js';
import { payloadBlock } from './payload.js';
import { canOperate, say } from '../lib/session.js';

const STATES = ['ready', 'scheduled', 'running'];
const seen = new Map();

export async function jobsView(ctx) {
  const queue = ctx.params[0];
  const state = STATES.includes(ctx.query.get('state')) ? ctx.query.get('state') : 'ready';
  const limit = 50;
  const pager = new Pager((after) => api.get(`queues/${api.enc(queue)}/jobs` + api.qs({ state, limit, after })));
  const tabs = h('div', { class: 'toolbar', role: 'navigation', 'aria-label': 'Job states' },
    ...STATES.map((s) => h('a', { href: `#/queues/${api.enc(queue)}?state=${s}`, 'aria-current': s === state ? 'page' : null }, s)),
    h('a', { href: `#/queues/${api.enc(queue)}/dead` }, 'dead letters'),
    h('a', { href: `#/queues/${api.enc(queue)}/search`, id: 'search-link' }, 'search'));
  const body = h('div', { id: 'jobs' });

  const show = (page) => {
    if (!page) return;
    for (const j of page.jobs) seen.set(`${queue}/${j.id}`, j);
    body.replaceChildren(
      page.partial ? notice('note', page.partial) : '',
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
  try {
    show(await pager.show());
  } catch (e) {
    body.replaceChildren(notice(e.status === 501 ? 'note' : 'error', e.message));
  }
  return [h('h1', { tabindex: '-1' }, `Queue ${queue}: ${state} jobs`), tabs, body];
}

export async function jobView(ctx) {
  const [queue, id] = ctx.params;
  const out = [h('h1', { tabindex: '-1' }, `Job ${id} in ${queue}`)];
  let job = null;
  try {
    job = (await api.get(`queues/${api.enc(queue)}/jobs/${id}`)).job;
  } catch (e) {
    if (e.status !== 501) throw e;
    out.push(notice('note', e.message));
    job = seen.get(`${queue}/${id}`) || null;
    if (job) out.push(h('p', { class: 'muted' }, 'Shown: the fields the job list had.'));
  }
  if (job) {
    out.push(h('dl', { class: 'kv', id: 'job-fields' }, ...Object.entries(job).filter(([k]) => !k.startsWith('payload'))
      .flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-field': k }, k.endsWith('_at') || k === 'lease_until' ? time(v) : String(v ?? '–'))])));
    out.push(payloadBlock(job, canOperate() ? async () => (await api.post(`queues/${api.enc(queue)}/jobs/${id}/reveal`)).job : null, say));
  }
  out.push(h('h2', {}, 'Deliveries'));
  try {
    const d = await api.get(`queues/${api.enc(queue)}/jobs/${id}/deliveries`);
    out.push(table([
      { key: 'attempt', label: 'Attempt', num: true },
      { key: 'lease_start', label: 'Lease start', render: (r) => time(r.lease_start) },
      { key: 'lease_end', label: 'Lease end', render: (r) => time(r.lease_end) },
      { key: 'extends', label: 'Extends', num: true },
      { key: 'outcome', label: 'Outcome' },
      { key: 'error', label: 'Error' },
    ], d.deliveries));
  } catch (e) {
    out.push(notice(e.status === 501 ? 'note' : 'error', e.message));
  }
  return out;
}
