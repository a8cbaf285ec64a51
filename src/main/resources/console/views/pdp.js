// PDP proving state: proof sets with state, next challenge epoch, root count and pending
// messages; one proof set with its create message and timeline.

import * as api from '../lib/api.js';
import * as events from '../lib/events.js';
import { h, num, time, table, notice } from '../lib/dom.js';
import { Pager } from '../lib/pager.js';

export async function pdpView(ctx) {
  const body = h('div', { id: 'proofsets' });
  const pager = new Pager((after) => api.get('proofsets' + api.qs({ after, limit: 50 })));
  const show = (page) => {
    if (!page) return;
    body.replaceChildren(
      page.proof_sets.length ? table([
        { key: 'id', label: 'Proof set', render: (r) => h('a', { href: '#/pdp/' + r.id }, String(r.id)) },
        { key: 'service', label: 'Service' },
        { key: 'state', label: 'State' },
        { key: 'proving', label: 'Proving', render: (r) => (r.prove_tasks > 0 ? 'yes' : 'no') },
        { key: 'prove_at_epoch', label: 'Next challenge epoch', num: true },
        { key: 'proving_period', label: 'Period', num: true },
        { key: 'challenge_window', label: 'Window', num: true },
        { key: 'roots', label: 'Roots', num: true },
        { key: 'pending_messages', label: 'Pending messages', num: true },
      ], page.proof_sets, (r) => ({ 'data-proofset': r.id })) : h('p', { class: 'muted' }, 'No proof sets.'),
      pager.controls(show));
  };
  show(await pager.show());
  events.subscribe({ proofsets: () => ctx.rerender() }, ctx.rerender);
  return [h('h1', { tabindex: '-1' }, 'PDP proof sets'), body];
}

export async function proofSetView(ctx) {
  const id = ctx.params[0];
  const s = await api.get('proofsets/' + id);
  const ps = s.proof_set;
  const fields = [['state', s.state], ['is_proving', s.is_proving ? 'yes' : 'no'], ['service', ps.service],
    ['next challenge epoch', ps.prove_at_epoch], ['previous challenge epoch', ps.prev_challenge_request_epoch],
    ['proving period', ps.proving_period], ['challenge window', ps.challenge_window],
    ['challenge task', ps.challenge_request_task_id ? `${ps.challenge_request_task_id} (${ps.challenge_request_task_name})` : null],
    ['challenge message', ps.challenge_request_msg_hash], ['prove task', ps.prove_task_id],
    ['roots', ps.roots], ['pending messages', ps.pending_messages],
    ['create message', ps.create_message_hash],
    ['create status', s.create ? (s.create.error || `${s.create.tx_status}${s.create.tx_success === false ? ' (failed)' : ''}`) : null]];
  const timeline = h('div', { id: 'timeline' });
  const pager = new Pager((after) => api.get(`proofsets/${id}/timeline` + api.qs({ after, limit: 100 })));
  const show = (page) => {
    if (!page) return;
    timeline.replaceChildren(page.events.length ? table([
      { key: 'at', label: 'At', render: (r) => time(r.at) },
      { key: 'kind', label: 'What' },
      { key: 'state', label: 'State after' },
      { key: 'detail', label: 'Detail' },
      { key: 'task_id', label: 'Task' },
      { key: 'message_hash', label: 'Message' },
      { key: 'epoch', label: 'Epoch' },
    ], page.events, (r) => ({ 'data-event': r.id })) : h('p', { class: 'muted' }, 'Nothing recorded yet.'), pager.controls(show));
  };
  try {
    show(await pager.show());
  } catch (e) {
    timeline.replaceChildren(notice('error', e.message));
  }
  events.subscribe({ proofsets: () => ctx.rerender() }, ctx.rerender);
  return [
    h('h1', { tabindex: '-1' }, `Proof set ${id}`),
    h('dl', { class: 'kv', id: 'proofset-fields' }, ...fields.flatMap(([k, v]) => [h('dt', {}, k),
      h('dd', { 'data-field': k }, v === null || v === undefined ? '–' : String(v))])),
    h('h2', {}, 'Timeline'), h('p', { class: 'muted' }, 'oldest first'), timeline,
    h('p', {}, h('a', { href: '#/pdp' }, 'All proof sets'), ' · ', num(Number(id))),
  ];
}
