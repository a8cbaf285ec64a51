// The Scheduler's task engine: sessions with their heartbeat age, tasks by type and state, and
// the history, failures marked.

import * as api from '../lib/api.js';
import * as events from '../lib/events.js';
import { h, num, time, age, table, notice } from '../lib/dom.js';
import { Pager } from '../lib/pager.js';

export default async function scheduler(ctx) {
  const name = ctx.query.get('name') || '';
  const tasks = await api.get('tasks');
  const typeRows = Object.entries(tasks.types).map(([n, c]) => ({ name: n, ...c }));
  const types = table([
    { key: 'name', label: 'Task type' },
    { key: 'runnable', label: 'Runnable', num: true },
    { key: 'waiting', label: 'Waiting (retry)', num: true },
    { key: 'running', label: 'Running', num: true },
    { key: 'max_failures', label: 'Max failures', num: true },
    { key: 'retry_wait_ms', label: 'Retry wait', num: true, render: (r) => r.retry_wait_ms ? age(r.retry_wait_ms) : '–' },
  ], typeRows, (r) => ({ 'data-task': r.name }));
  events.subscribe({
    tasks: (d) => {
      for (const [n, c] of Object.entries(d.types)) {
        const tr = types.querySelector(`tr[data-task="${CSS.escape(n)}"]`);
        if (tr) for (const k of ['runnable', 'waiting', 'running']) tr.querySelector(`td[data-field="${k}"]`).textContent = num(c[k]);
      }
    },
  }, ctx.rerender);

  let sessions;
  try {
    const s = await api.get('sessions');
    sessions = h('div', { id: 'sessions' }, table([
      { key: 'session', label: 'Session' },
      { key: 'name', label: 'Name' },
      { key: 'heartbeat_age_ms', label: 'Heartbeat age', num: true, render: (r) => age(r.heartbeat_age_ms) },
      { key: 'ttl_ms', label: 'TTL', num: true, render: (r) => age(r.ttl_ms) },
      { key: 'expires_at', label: 'Expires', render: (r) => time(r.expires_at) },
      { key: 'tasks', label: 'Tasks held', num: true },
    ], s.sessions, (r) => ({ 'data-session': r.session })),
    s.sessions.length ? '' : h('p', { class: 'muted' }, 'No live sessions.'),
    s.next ? h('p', { class: 'muted' }, `first ${s.sessions.length} sessions by id shown`) : '');
  } catch (e) {
    sessions = notice('error', e.message);
  }

  const history = h('div', { id: 'history' });
  const pager = new Pager((after) => api.get('tasks/history' + api.qs({ name, after, limit: 50 })));
  const show = (page) => {
    if (!page) return;
    history.replaceChildren(table([
      { key: 'id', label: 'Id', num: true },
      { key: 'task_id', label: 'Task', num: true },
      { key: 'name', label: 'Type' },
      { key: 'outcome', label: 'Outcome' },
      { key: 'state', label: 'Then' },
      { key: 'work_end', label: 'Ended', render: (r) => time(r.work_end) },
      { key: 'err', label: 'Error', render: (r) => r.err || '–' },
    ], page.rows, (r) => ({ 'data-history': r.id, class: r.outcome === 'failed' || r.err ? 'failed' : null })),
    page.rows.length ? '' : h('p', { class: 'muted' }, 'No history rows.'), pager.controls(show));
  };
  show(await pager.show());

  const filter = h('select', { id: 'history-type', 'aria-label': 'Task type',
    onchange: (e) => { location.hash = '#/scheduler' + (e.target.value ? '?name=' + api.enc(e.target.value) : ''); } },
  h('option', { value: '' }, 'all types'), ...typeRows.map((r) => h('option', { value: r.name, selected: r.name === name }, r.name)));

  return [
    h('h1', { tabindex: '-1' }, 'Scheduler'),
    h('h2', {}, 'Tasks by type and state'), types,
    h('h2', {}, 'Sessions'), sessions,
    h('h2', {}, 'History'), h('div', { class: 'toolbar' }, h('label', {}, 'Type ', filter),
      h('span', { class: 'muted' }, 'oldest first; failed runs are marked')), history,
  ];
}
