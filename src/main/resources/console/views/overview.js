// Overview: every store's queues with their counts, lag, per-minute rates and claim time, kept
// current by the node's change events, and whether claims run (pause and resume, after a
// confirmation); the Scheduler's tasks below.

import * as api from '../lib/api.js';
import * as events from '../lib/events.js';
import { h, num, age, table, sparkline, notice } from '../lib/dom.js';
import { confirmAction } from '../lib/confirm.js';
import { canOperate, say } from '../lib/session.js';

const COUNTS = ['ready', 'scheduled', 'running', 'dead', 'done'];

function minute(rates) {
  if (!rates) return null;
  return rates.minutes.length ? rates.minutes[rates.minutes.length - 1] : rates.current;
}

/** Pauses or resumes one queue once the operator confirmed; true when the store did it. */
async function control(queue, pause) {
  const word = pause ? 'Pause' : 'Resume';
  const text = pause ? `Pause queue ${queue}? Claims hand out none of its jobs until it is resumed; enqueues go on.`
    : `Resume queue ${queue}? Waiting claims take its jobs at once.`;
  if (!(await confirmAction(text))) {
    say('Nothing changed.');
    return false;
  }
  try {
    await api.post(`queues/${api.enc(queue)}/${pause ? 'pause' : 'resume'}`, {});
    say(pause ? `Paused ${queue}.` : `Resumed ${queue}.`);
    return true;
  } catch (e) {
    say(`${word} refused: ${e.message}`, true);
    return false;
  }
}

function claimsCell(r, rerender) {
  const pause = !r.paused;
  return h('span', {},
    h('span', { class: r.paused ? 'paused' : 'muted', 'data-paused': String(!!r.paused) }, r.paused ? 'paused' : 'running'), ' ',
    h('button', { type: 'button', 'data-control': pause ? 'pause' : 'resume', disabled: !canOperate(),
      'aria-label': `${pause ? 'Pause' : 'Resume'} queue ${r.queue}`,
      title: canOperate() ? null : 'log in as an operator to change anything',
      onclick: async () => { if (await control(r.queue, pause)) rerender(); } }, pause ? 'Pause' : 'Resume'));
}

function queueColumns(rerender) {
  return [
    { key: 'queue', label: 'Queue', render: (r) => h('a', { href: '#/queues/' + api.enc(r.queue) }, r.queue) },
    { key: 'store', label: 'Store' },
    { key: 'paused', label: 'Claims', render: (r) => claimsCell(r, rerender) },
    ...COUNTS.map((k) => ({ key: k, label: k[0].toUpperCase() + k.slice(1), num: true,
      render: k === 'dead' ? (r) => h('a', { href: `#/queues/${api.enc(r.queue)}/dead` }, num(r.dead)) : null })),
    { key: 'lag_ms', label: 'Lag', num: true, render: (r) => age(r.lag_ms) },
    { key: 'enqueued_min', label: 'Enqueued/min', num: true, render: (r) => num(minute(r.rates)?.enqueued) },
    { key: 'completed_min', label: 'Completed/min', num: true, render: (r) => num(minute(r.rates)?.completed) },
    { key: 'failed_min', label: 'Failures/min', num: true,
      render: (r) => { const m = minute(r.rates); return m ? num(m.retried + m.dead_lettered) : '–'; } },
    { key: 'claim_ms', label: 'Claim ms (mean)', num: true,
      render: (r) => { const v = minute(r.rates)?.claim_mean_ms; return v === null || v === undefined ? '–' : v.toFixed(2); } },
    { key: 'spark', label: 'Completed, last hour', render: (r) => sparkline((r.rates?.minutes || []).map((m) => m.completed)) },
  ];
}

export default async function overview(ctx) {
  const [q, tasks] = await Promise.all([api.get('queues'), api.get('tasks').catch((e) => ({ error: e.message }))]);
  const rows = Object.entries(q.queues).map(([name, v]) => ({ queue: name, ...v }))
    .sort((a, b) => a.store.localeCompare(b.store) || a.queue.localeCompare(b.queue));
  const queues = table(queueColumns(ctx.rerender), rows, (r) => ({ 'data-queue': r.queue }));
  const down = Object.entries(q.stores).filter(([, s]) => !s.up).map(([id, s]) => notice('error', `store ${id}: ${s.error}`));

  events.subscribe({
    queue: (d) => {
      const tr = queues.querySelector(`tr[data-queue="${CSS.escape(d.queue)}"]`);
      if (!tr) return;
      for (const k of COUNTS) {
        const td = tr.querySelector(`td[data-field="${k}"]`);
        const text = num(d.counts[k]);
        const target = td.firstElementChild || td;
        if (target.textContent !== text) {
          target.textContent = text;
          td.classList.remove('flash');
          void td.offsetWidth;
          td.classList.add('flash');
        }
      }
      const claims = tr.querySelector('td[data-field="paused"]');
      if ('paused' in d.counts && claims.querySelector('[data-paused]').dataset.paused !== String(d.counts.paused)) {
        claims.replaceChildren(claimsCell({ queue: d.queue, paused: d.counts.paused }, ctx.rerender));
      }
      const oldest = d.counts.oldest_ready_at;
      tr.querySelector('td[data-field="lag_ms"]').textContent = age(oldest === null ? null : Math.max(0, Date.now() - oldest));
    },
    tasks: (d) => { for (const [name, c] of Object.entries(d.types)) updateTask(taskTable, name, c); },
  }, ctx.rerender);

  const taskRows = tasks.error ? [] : Object.entries(tasks.types).map(([name, c]) => ({ name, ...c }));
  const taskTable = table([
    { key: 'name', label: 'Task type' },
    { key: 'runnable', label: 'Runnable', num: true },
    { key: 'waiting', label: 'Waiting (retry)', num: true },
    { key: 'running', label: 'Running', num: true },
  ], taskRows, (r) => ({ 'data-task': r.name }));

  return [
    h('h1', { tabindex: '-1' }, 'Overview'),
    ...down,
    h('p', { class: 'muted' }, 'Counts are the stores\' own (the same as stats and /metrics); rates and claim time are this node\'s, per minute.'),
    queues,
    h('h2', {}, 'Scheduler tasks'),
    tasks.error ? notice('error', tasks.error) : taskTable,
  ];
}

function updateTask(tbl, name, c) {
  const tr = tbl.querySelector(`tr[data-task="${CSS.escape(name)}"]`);
  if (!tr) return;
  for (const k of ['runnable', 'waiting', 'running']) tr.querySelector(`td[data-field="${k}"]`).textContent = num(c[k]);
}
