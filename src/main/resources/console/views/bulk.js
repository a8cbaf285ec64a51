// "All N matching" on the dead letters screen: requeue or purge every dead letter a filter
// matches, as an operation the store runs in batches. A confirmation first; then a progress bar,
// read from the operation's status only while it runs, and a button that cancels it.

import * as api from '../lib/api.js';
import { h, num } from '../lib/dom.js';
import { confirmAction } from '../lib/confirm.js';
import { canOperate, say } from '../lib/session.js';

/** How often a running operation's progress is read: one row, and only while it runs. */
const POLL_MS = 500;

function filterOf(form) {
  const f = {};
  const name = form.querySelector('#bulk-name').value.trim();
  const prefix = form.querySelector('#bulk-error-prefix').value;
  if (name) f.name = name;
  if (prefix) f.error_prefix = prefix;
  return f;
}

function describe(filter) {
  const parts = [];
  if (filter.name) parts.push(`named ${filter.name}`);
  if (filter.error_prefix) parts.push(`whose error starts with "${filter.error_prefix}"`);
  return parts.length ? ' ' + parts.join(' and ') : '';
}

/** The bulk section of queue {@code queue}'s dead letters; {@code dead} is its dead-letter count. */
export async function bulkSection(queue, dead, onEnd) {
  const operator = canOperate();
  const progress = h('div', { id: 'bulk-progress', hidden: true });
  const form = h('form', { class: 'toolbar', id: 'bulk-form', 'aria-label': 'All matching dead letters',
    onsubmit: (e) => e.preventDefault() });
  const label = (word) => () => {
    const f = filterOf(form);
    return Object.keys(f).length ? `${word} all matching…` : `${word} all ${num(dead)} matching…`;
  };
  const requeueLabel = label('Requeue');
  const purgeLabel = label('Purge');
  const requeue = h('button', { type: 'button', id: 'bulk-requeue', disabled: !operator, onclick: () => start('requeue') }, requeueLabel());
  const purge = h('button', { type: 'button', id: 'bulk-purge', class: 'danger', disabled: !operator, onclick: () => start('purge') }, purgeLabel());
  const relabel = () => { requeue.textContent = requeueLabel(); purge.textContent = purgeLabel(); };
  form.append(
    h('label', {}, 'Name ', h('input', { id: 'bulk-name', size: 12, oninput: relabel })),
    h('label', {}, 'Error starts with ', h('input', { id: 'bulk-error-prefix', size: 16, oninput: relabel })),
    requeue, purge);

  let timer = null;
  const show = (op) => {
    const running = op.state === 'running';
    requeue.disabled = purge.disabled = !operator || running;
    const bar = h('progress', { id: 'bulk-bar', max: String(Math.max(1, op.matching)), value: String(op.done),
      'aria-label': `bulk ${op.op} progress` });
    progress.hidden = false;
    progress.replaceChildren(
      h('span', { id: 'bulk-text' }, `Operation ${op.operation}: ${op.op} ${op.state}, ${num(op.done)} of ${num(op.matching)} done`),
      ' ', bar, ' ',
      running ? h('button', { type: 'button', id: 'bulk-cancel', disabled: !operator, onclick: () => cancel(op) }, 'Cancel') : '');
  };
  const follow = async (op) => {
    show(op);
    if (op.state !== 'running') { onEnd(op); return; }
    timer = setTimeout(async () => {
      // The screen was left: stop reading.
      if (!progress.isConnected) return;
      try {
        follow(await api.get(`queues/${api.enc(queue)}/bulk/${op.operation}`));
      } catch (e) {
        say(`Progress unavailable: ${e.message}`, true);
      }
    }, POLL_MS);
  };
  const start = async (op) => {
    const filter = filterOf(form);
    const word = op === 'requeue' ? 'Requeue' : 'Purge (delete)';
    const what = Object.keys(filter).length ? `every dead letter of queue ${queue}${describe(filter)}`
      : `all ${num(dead)} dead letters of queue ${queue}`;
    if (!await confirmAction(`${word} ${what}? This runs in batches until done or cancelled.`, queue)) {
      say('Nothing changed.');
      return;
    }
    try {
      const r = await api.post(`queues/${api.enc(queue)}/bulk`, { op, filter });
      say(`${word}: operation ${r.operation} started on ${num(r.matching)} matching.`);
      follow(r);
    } catch (e) {
      say(`${word} refused: ${e.message}`, true);
    }
  };
  const cancel = async (op) => {
    clearTimeout(timer);
    try {
      const r = await api.post(`queues/${api.enc(queue)}/bulk/${op.operation}/cancel`);
      say(`Operation ${r.operation} cancelled after ${num(r.done)}.`);
      follow(r);
    } catch (e) {
      say(`Cancel refused: ${e.message}`, true);
      follow(await api.get(`queues/${api.enc(queue)}/bulk/${op.operation}`));
    }
  };

  // An operation already running (started elsewhere, or before a reload) is followed at once.
  const recent = (await api.get(`queues/${api.enc(queue)}/bulk`)).operations;
  const running = recent.find((o) => o.state === 'running');
  if (running) follow(running);
  return h('section', { id: 'bulk', 'aria-label': 'Bulk operations' }, h('h2', {}, 'All matching'), form, progress);
}
