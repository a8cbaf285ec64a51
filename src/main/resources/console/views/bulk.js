// "All N matching" on the dead letters screen: requeue or purge every dead letter a filter
// matches, as an operation the store runs in batches. A confirmation first; then a progress bar,
// read from the operation's status only while it runs, and a button that cancels it.

import * as api from '../lib/api.js';
import { h, num } from '../lib/dom.js';
import { confirmAction } from '../lib/confirm.js';
import { canOperate, say } from '../lib/session.js';

/** How often a running operation's progress is read: one row, and only while it runs. */
const POLL_MS = 500;

function filterOf(name, prefix) {
  const f = {};
  if (name.value.trim()) f.name = name.value.trim();
  if (prefix.value) f.error_prefix = prefix.value;
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
  const nameInput = h('input', { id: 'bulk-name', size: 12 });
  const prefixInput = h('input', { id: 'bulk-error-prefix', size: 16 });
  const filter = () => filterOf(nameInput, prefixInput);
  const label = (word) => (Object.keys(filter()).length ? `${word} all matching…` : `${word} all ${num(dead)} matching…`);
  const requeue = h('button', { type: 'button', id: 'bulk-requeue', disabled: !operator, onclick: () => start('requeue') }, label('Requeue'));
  const purge = h('button', { type: 'button', id: 'bulk-purge', class: 'danger', disabled: !operator, onclick: () => start('purge') }, label('Purge'));
  const relabel = () => { requeue.textContent = label('Requeue'); purge.textContent = label('Purge'); };
  nameInput.addEventListener('input', relabel);
  prefixInput.addEventListener('input', relabel);
  const form = h('form', { class: 'toolbar', id: 'bulk-form', 'aria-label': 'All matching dead letters',
    onsubmit: (e) => e.preventDefault() },
    h('label', {}, 'Name ', nameInput), h('label', {}, 'Error starts with ', prefixInput), requeue, purge);

  let timer = null;
  let shown = null;
  // Built once and updated in place, so that a focused Cancel button keeps the focus.
  const text = h('span', { id: 'bulk-text' });
  const bar = h('progress', { id: 'bulk-bar', max: '1', value: '0' });
  const stop = h('button', { type: 'button', id: 'bulk-cancel', disabled: !operator, onclick: () => cancel(shown) }, 'Cancel');
  progress.append(text, ' ', bar, ' ', stop);
  const show = (op) => {
    shown = op;
    const running = op.state === 'running';
    requeue.disabled = purge.disabled = !operator || running;
    text.textContent = `Operation ${op.operation}: ${op.op} ${op.state}, ${num(op.done)} of ${num(op.matching)} done`;
    bar.max = Math.max(1, op.matching);
    bar.value = op.done;
    bar.setAttribute('aria-label', `bulk ${op.op} progress`);
    stop.hidden = !running;
    progress.hidden = false;
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
    const chosen = filter();
    const word = op === 'requeue' ? 'Requeue' : 'Purge (delete)';
    const what = Object.keys(chosen).length ? `every dead letter of queue ${queue}${describe(chosen)}`
      : `all ${num(dead)} dead letters of queue ${queue}`;
    if (!await confirmAction(`${word} ${what}? This runs in batches until done or cancelled.`, queue)) {
      say('Nothing changed.');
      return;
    }
    try {
      const r = await api.post(`queues/${api.enc(queue)}/bulk`, { op, filter: chosen });
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
