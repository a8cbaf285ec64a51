// Search one queue by one indexed key: the form writes the search into the address (so it can be
// bookmarked and reloaded), the results page by the store's keyset cursor. Live jobs come first,
// then dead letters; a search the store cannot answer from an index is refused with its hint.

import * as api from '../lib/api.js';
import { h, num, time, table, notice } from '../lib/dom.js';
import { Pager } from '../lib/pager.js';

const KINDS = [
  ['id', 'Job id', ['id']],
  ['name', 'Job name', ['name']],
  ['dedupe_key', 'Name and dedupe key', ['name', 'dedupe_key']],
  ['error_prefix', 'Error text starting with', ['error_prefix']],
  ['payload', 'Payload field', ['path', 'value']],
  ['time', 'Enqueued (dead letters: failed) between', ['from', 'to']],
];
const LABELS = {
  id: 'Job id', name: 'Name', dedupe_key: 'Dedupe key', error_prefix: 'Error prefix (1..128 characters)',
  path: 'JSON path (one of the queue\'s search_fields)', value: 'Value (JSON, or text)',
  from: 'From (ISO time or epoch ms)', to: 'To (ISO time or epoch ms)',
};
const STATES = ['', 'ready', 'scheduled', 'running', 'dead'];
const LIMIT = 50;

function epochMs(text) {
  if (/^\d+$/.test(text)) return text;
  const t = Date.parse(text);
  return Number.isNaN(t) ? text : String(t);
}

function form(queue, query) {
  const kind = KINDS.find(([k]) => k === query.get('kind')) ? query.get('kind') : 'name';
  const fields = h('div', { id: 'search-fields', class: 'toolbar' });
  const kindSelect = h('select', { id: 'search-kind', 'aria-label': 'Search by' },
    ...KINDS.map(([k, label]) => h('option', { value: k, selected: k === kind }, label)));
  const state = h('select', { id: 'search-state', 'aria-label': 'State' },
    ...STATES.map((s) => h('option', { value: s, selected: s === (query.get('state') || '') }, s || 'any (live, then dead)')));
  const showFields = () => {
    const [, , names] = KINDS.find(([k]) => k === kindSelect.value);
    fields.replaceChildren(...names.map((n) => h('label', {}, LABELS[n] + ' ',
      h('input', { type: 'text', id: `search-${n}`, name: n, value: query.get(n) ?? '', size: n === 'value' || n === 'error_prefix' ? 40 : 20 }))));
  };
  kindSelect.addEventListener('change', showFields);
  showFields();
  const submit = (e) => {
    e.preventDefault();
    const params = { kind: kindSelect.value, state: state.value || null };
    for (const input of fields.querySelectorAll('input')) {
      if (input.value.trim() === '') continue;
      params[input.name] = input.name === 'from' || input.name === 'to' ? epochMs(input.value.trim()) : input.value;
    }
    location.hash = `#/queues/${api.enc(queue)}/search` + api.qs(params);
  };
  return h('form', { id: 'search-form', class: 'toolbar', role: 'search', onsubmit: submit },
    h('label', {}, 'Search by ', kindSelect), fields, h('label', {}, 'State ', state),
    h('button', { type: 'submit', id: 'search-go' }, 'Search'));
}

function results(queue, query) {
  const params = { state: query.get('state'), limit: LIMIT };
  const [, , names] = KINDS.find(([k]) => k === query.get('kind'));
  for (const n of names) params[n] = query.get(n);
  const pager = new Pager((after) => api.get(`queues/${api.enc(queue)}/search` + api.qs({ ...params, after })));
  const body = h('div', { id: 'search-results', 'aria-live': 'polite' });
  const show = (page) => {
    if (!page) return;
    body.replaceChildren(
      h('p', { class: 'muted', id: 'search-window' },
        `Page ${pager.index + 1}: at most ${LIMIT} matches, live jobs first, then dead letters; `
        + 'each search reads one index and stops after 2 s.'),
      page.jobs.length ? table([
        { key: 'id', label: 'Job id', render: (r) => h('a', { href: r.state === 'dead'
          ? `#/queues/${api.enc(queue)}/dead/${r.dead_id}` : `#/queues/${api.enc(queue)}/jobs/${r.id}` }, String(r.id)) },
        { key: 'state', label: 'State' },
        { key: 'name', label: 'Name' },
        { key: 'attempts', label: 'Attempts', num: true, render: (r) => r.state === 'dead' ? num(r.attempts) : `${num(r.attempts)} / ${num(r.max_attempts)}` },
        { key: 'enqueued_at', label: 'Enqueued', render: (r) => time(r.enqueued_at) },
        { key: 'due', label: 'Due / failed', render: (r) => time(r.state === 'dead' ? r.failed_at : r.run_at) },
        { key: 'error', label: 'Error', render: (r) => (r.state === 'dead' ? r.error : r.last_error) || '–' },
      ], page.jobs, (r) => ({ 'data-id': r.id, 'data-state': r.state }))
        : h('p', { class: 'muted', id: 'search-empty' }, pager.index ? 'No more matches.' : 'No jobs match.'),
      pager.controls(show));
  };
  return { body, load: async () => {
    try {
      show(await pager.show());
    } catch (e) {
      body.replaceChildren(h('div', { class: 'error', id: 'search-error' }, e.message));
    }
  } };
}

export async function searchView(ctx) {
  const queue = ctx.params[0];
  const out = [h('h1', { tabindex: '-1' }, `Queue ${queue}: search`),
    h('div', { class: 'toolbar' }, h('a', { href: `#/queues/${api.enc(queue)}` }, 'live jobs'), ' ',
      h('a', { href: `#/queues/${api.enc(queue)}/dead` }, 'dead letters')),
    form(queue, ctx.query)];
  if (ctx.query.get('kind')) {
    const r = results(queue, ctx.query);
    await r.load();
    out.push(r.body);
  } else {
    out.push(notice('note', 'Choose what to search by. Payload fields are those the queue lists in queues.<name>.search_fields.'));
  }
  return out;
}
