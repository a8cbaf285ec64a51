// Dead letters of one queue: paged by id, rows selected with checkboxes (keyboard: Tab, Space),
// requeue or purge of the selection or of all, each after a confirmation; everything a filter
// matches in batches (bulk.js); and one dead letter.

import * as api from '../lib/api.js';
import { h, num, time, table, notice } from '../lib/dom.js';
import { Pager } from '../lib/pager.js';
import { confirmAction } from '../lib/confirm.js';
import { canOperate, say } from '../lib/session.js';
import { payloadBlock } from './payload.js';
import { bulkSection } from './bulk.js';

async function act(queue, action, selection, what) {
  const word = action === 'requeue' ? 'Requeue' : 'Purge (delete)';
  const all = selection === 'all';
  const ok = await confirmAction(all ? `${word} EVERY dead letter of queue ${queue}?` : `${word} ${what}?`, all ? queue : null);
  if (!ok) {
    say('Nothing changed.');
    return false;
  }
  try {
    const r = await api.post(`queues/${api.enc(queue)}/dead/${action}`, all ? { all: true } : { ids: selection });
    say(action === 'requeue' ? `Requeued ${r.requeued}.` : `Purged ${r.purged}.`);
    return true;
  } catch (e) {
    say(`${word} refused: ${e.message}`, true);
    return false;
  }
}

export async function deadView(ctx) {
  const queue = ctx.params[0];
  const limit = Number(ctx.query.get('limit')) || 50;
  const pager = new Pager((after) => api.get(`queues/${api.enc(queue)}/dead` + api.qs({ limit, after })));
  const body = h('div', { id: 'dead' });
  const selected = new Set();
  const operator = canOperate();

  const buttons = () => h('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Dead-letter actions' },
    h('button', { type: 'button', id: 'requeue-selected', disabled: !operator || !selected.size,
      onclick: async () => { if (await act(queue, 'requeue', [...selected], `${selected.size} selected dead letter(s)`)) ctx.rerender(); } }, 'Requeue selected'),
    h('button', { type: 'button', id: 'purge-selected', class: 'danger', disabled: !operator || !selected.size,
      onclick: async () => { if (await act(queue, 'purge', [...selected], `${selected.size} selected dead letter(s)`)) ctx.rerender(); } }, 'Purge selected'),
    h('button', { type: 'button', id: 'requeue-all', disabled: !operator,
      onclick: async () => { if (await act(queue, 'requeue', 'all')) ctx.rerender(); } }, 'Requeue all…'),
    h('button', { type: 'button', id: 'purge-all', class: 'danger', disabled: !operator,
      onclick: async () => { if (await act(queue, 'purge', 'all')) ctx.rerender(); } }, 'Purge all…'),
    h('span', { class: 'muted', id: 'selected-count' }, `${selected.size} selected`),
    operator ? '' : h('span', { class: 'muted' }, ' (log in as an operator to change anything)'));

  const show = (page) => {
    if (!page) return;
    selected.clear();
    const toolbar = buttons();
    const tbl = table([
      { key: 'select', label: '', render: (r) => h('input', { type: 'checkbox', 'data-select': String(r.id),
        'aria-label': `select dead letter ${r.id}`,
        onchange: (e) => { if (e.target.checked) selected.add(r.id); else selected.delete(r.id); body.querySelector('[role=toolbar]').replaceWith(buttons()); } }) },
      { key: 'id', label: 'Id', render: (r) => h('a', { href: `#/queues/${api.enc(queue)}/dead/${r.id}` }, String(r.id)) },
      { key: 'job_id', label: 'Job id' },
      { key: 'name', label: 'Name' },
      { key: 'attempts', label: 'Attempts', num: true },
      { key: 'reason', label: 'Reason' },
      { key: 'error', label: 'Error' },
      { key: 'failed_at', label: 'Failed at', render: (r) => time(r.failed_at) },
    ], page.jobs, (r) => ({ 'data-id': r.id }));
    body.replaceChildren(toolbar,
      page.jobs.length ? tbl : h('p', { class: 'muted' }, pager.index ? 'No more dead letters.' : 'No dead letters.'),
      pager.controls(show));
  };
  show(await pager.show());
  const counts = (await api.get('queues')).queues[queue];
  const bulk = await bulkSection(queue, counts ? counts.dead : 0, (op) => {
    if (op.done > 0 && op.state !== 'running') pager.show().then(show);
  });
  return [h('h1', { tabindex: '-1' }, `Queue ${queue}: dead letters`),
    h('div', { class: 'toolbar' }, h('a', { href: `#/queues/${api.enc(queue)}` }, 'live jobs')), bulk, body];
}

export async function deadOneView(ctx) {
  const [queue, id] = ctx.params;
  const job = (await api.get(`queues/${api.enc(queue)}/dead/${id}`)).job;
  const operator = canOperate();
  const cli = `piri-db dead requeue ${queue} ${id}`;
  return [
    h('h1', { tabindex: '-1' }, `Dead letter ${id} in ${queue}`),
    h('dl', { class: 'kv', id: 'dead-fields' },
      ...[['job_id', job.job_id], ['name', job.name], ['attempts', num(job.attempts)], ['reason', job.reason],
        ['error', job.error], ['failed_at', time(job.failed_at)]]
        .flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-field': k }, v ?? '–')])),
    payloadBlock(job, operator ? async () => (await api.post(`queues/${api.enc(queue)}/dead/${id}/reveal`)).job : null, say),
    h('h2', {}, 'Act'),
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', id: 'requeue-one', disabled: !operator,
        onclick: async () => { if (await act(queue, 'requeue', [Number(id)], `dead letter ${id}`)) location.hash = `#/queues/${api.enc(queue)}/dead`; } }, 'Requeue'),
      h('button', { type: 'button', id: 'purge-one', class: 'danger', disabled: !operator,
        onclick: async () => { if (await act(queue, 'purge', [Number(id)], `dead letter ${id}`)) location.hash = `#/queues/${api.enc(queue)}/dead`; } }, 'Purge')),
    h('p', {}, 'From a shell: ', h('code', { id: 'cli-command' }, cli), ' ',
      h('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(cli).then(() => say('Copied.')) }, 'Copy')),
  ];
}
