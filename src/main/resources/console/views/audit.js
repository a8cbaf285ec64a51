// Audit rows: who changed what, when, with which filter and how many rows, per store.

import * as api from '../lib/api.js';
import { h, num, time, table, notice } from '../lib/dom.js';
import { Pager } from '../lib/pager.js';

const STORES = ['replicator', 'aggregator', 'egress_tracker', 'scheduler'];

export default async function audit(ctx) {
  const store = STORES.includes(ctx.query.get('store')) ? ctx.query.get('store') : 'replicator';
  const body = h('div', { id: 'audit' });
  const pager = new Pager((after) => api.get('audit' + api.qs({ store, after, limit: 50 })));
  const show = (page) => {
    if (!page) return;
    body.replaceChildren(page.rows.length ? table([
      { key: 'at', label: 'When', render: (r) => time(r.at) },
      { key: 'actor', label: 'Who' },
      { key: 'actor_role', label: 'Role' },
      { key: 'via', label: 'Via' },
      { key: 'action', label: 'Action' },
      { key: 'queue', label: 'Queue' },
      { key: 'filter', label: 'Filter', render: (r) => JSON.stringify(r.filter) },
      { key: 'affected', label: 'Rows', num: true, render: (r) => num(r.affected) },
    ], page.rows, (r) => ({ 'data-audit': r.id })) : h('p', { class: 'muted' }, 'No changes recorded in this store.'),
    pager.controls(show));
  };
  try {
    show(await pager.show());
  } catch (e) {
    body.replaceChildren(notice('error', e.message));
  }
  const select = h('select', { id: 'audit-store', 'aria-label': 'Store', onchange: (e) => { location.hash = '#/audit?store=' + e.target.value; } },
    ...STORES.map((s) => h('option', { value: s, selected: s === store }, s)));
  return [h('h1', { tabindex: '-1' }, 'Audit'), h('div', { class: 'toolbar' }, h('label', {}, 'Store ', select)), body];
}
