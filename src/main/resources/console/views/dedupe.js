// The queue screen's dedupe-key form: where a key is (its live job, its completion or
// dead-lettering, its dead letter), from GET /api/queues/<q>/dedupe.

import * as api from '../lib/api.js';
import { h, time, notice } from '../lib/dom.js';

export function dedupeForm(queue) {
  const name = h('input', { id: 'dedupe-name', name: 'name', required: true, autocomplete: 'off' });
  const key = h('input', { id: 'dedupe-key', name: 'key', required: true, autocomplete: 'off' });
  const result = h('div', { id: 'dedupe-result', 'aria-live': 'polite' });
  const describe = (r) => {
    const rows = [];
    if (r.live) rows.push(h('li', {}, 'live job ', h('a', { href: `#/queues/${api.enc(queue)}/jobs/${r.live.id}` }, String(r.live.id)),
      `: ${r.live.state}, run at ${time(r.live.run_at)}`));
    if (r.done) rows.push(h('li', {}, `${r.done.status} at ${time(r.done.done_at)}`));
    if (r.dead) rows.push(h('li', {}, 'dead letter ', h('a', { href: `#/queues/${api.enc(queue)}/dead/${r.dead.id}` }, String(r.dead.id))));
    if (!r.dead_window.complete) rows.push(h('li', { class: 'muted' }, `dead letters: the newest ${r.dead_window.searched} looked at`));
    return [h('p', { 'data-field': 'found' }, `found: ${r.found}`), rows.length ? h('ul', {}, rows) : ''];
  };
  const form = h('form', {
    class: 'toolbar', 'aria-label': 'Dedupe key lookup',
    onsubmit: async (ev) => {
      ev.preventDefault();
      try {
        const r = await api.get(`queues/${api.enc(queue)}/dedupe` + api.qs({ name: name.value, key: key.value }));
        result.replaceChildren(...describe(r));
      } catch (e) {
        result.replaceChildren(notice('error', e.message));
      }
    },
  },
  h('label', { for: 'dedupe-name' }, 'Job name '), name,
  h('label', { for: 'dedupe-key' }, ' Dedupe key '), key,
  h('button', { type: 'submit' }, 'Find key'));
  return h('section', {}, h('h2', {}, 'Where is a dedupe key?'), form, result);
}
