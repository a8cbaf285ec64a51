// The node: backend and where its data lives, versions, stores and their schema versions,
// cluster, pools, health; admins also see this node's tokens.

import * as api from '../lib/api.js';
import { h, table, notice } from '../lib/dom.js';
import { confirmAction } from '../lib/confirm.js';
import { session, say } from '../lib/session.js';

export default async function node(ctx) {
  const [n, health] = await Promise.all([api.get('node'), api.get('health').catch((e) => ({ status: 'DOWN', error: e.message }))]);
  const kv = [['piri-db', n.version], ['Java', n.java], ['Vert.x', n.vertx], ['backend', n.backend],
    n.database ? ['database', n.database] : ['data_dir', n.data_dir], ['HTTP', n.http], ['bridge', n.bridge],
    ['console prefix', n.console.prefix], ['open event streams', n.console.event_streams], ['logins', n.console.logins],
    ['reads without token', n.console.anonymous_read ? 'allowed' : 'refused'], ['health', health.status || health.outcome]];
  const stores = table([
    { key: 'id', label: 'Store' },
    { key: 'up', label: 'Up', render: (r) => (r.up ? 'yes' : 'no: ' + r.error) },
    { key: 'backend', label: 'Backend' },
    { key: 'schema_version', label: 'Schema version' },
  ], Object.entries(n.stores).map(([id, s]) => ({ id, ...s })), (r) => ({ 'data-store': r.id }));
  const c = n.cluster;
  const out = [
    h('h1', { tabindex: '-1' }, 'Node'),
    h('dl', { class: 'kv', id: 'node-fields' }, ...kv.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { 'data-field': k }, String(v ?? '–'))])),
    h('h2', {}, 'Stores'), stores,
    h('h2', {}, 'Cluster'),
    c.enabled ? h('dl', { class: 'kv' }, h('dt', {}, 'name'), h('dd', {}, c.name), h('dt', {}, 'members (configured)'),
      h('dd', {}, c.members.join(', ') || '–'), h('dt', {}, 'nodes (live)'), h('dd', {}, (c.nodes || []).join(', ') || c.nodes_error || '–'),
      h('dt', {}, 'stores here'), h('dd', {}, c.stores_here ? 'yes' : 'no')) : h('p', { class: 'muted' }, 'Not clustered.'),
    h('h2', {}, 'Pools and writers'),
    n.pools.length ? table([
      { key: 'meter', label: 'Meter' }, { key: 'store', label: 'Store' },
      { key: 'value', label: 'Value', num: true }, { key: 'count', label: 'Count', num: true }, { key: 'max', label: 'Max', num: true },
    ], n.pools) : h('p', { class: 'muted' }, 'No pool meters on this node.'),
    h('h2', {}, 'Health'),
    h('pre', { id: 'health' }, JSON.stringify(health, null, 2)),
  ];
  if (session.role === 'admin') out.push(h('h2', {}, 'Tokens of this node'), await tokens(ctx));
  return out;
}

async function tokens(ctx) {
  try {
    const t = await api.get('tokens');
    return table([
      { key: 'name', label: 'Name' }, { key: 'role', label: 'Role' },
      { key: 'created_at', label: 'Created', render: (r) => new Date(r.created_at).toISOString() },
      { key: 'revoke', label: '', render: (r) => h('button', { type: 'button', class: 'danger', 'data-revoke': r.name, onclick: async () => {
        if (!(await confirmAction(`Revoke token ${r.name}? Its logins end at once.`))) return;
        try { await api.post('tokens/revoke', { name: r.name }); say(`Revoked ${r.name}.`); ctx.rerender(); } catch (e) { say(e.message, true); }
      } }, 'Revoke') },
    ], t.tokens);
  } catch (e) {
    return notice('error', e.message);
  }
}


