// The console's shell: hash routes to screens, who is logged in, status messages, live updates.

import * as api from './lib/api.js';
import * as events from './lib/events.js';
import { h } from './lib/dom.js';
import overview from './views/overview.js';
import { jobsView, jobView } from './views/jobs.js';
import { deadView, deadOneView } from './views/dead.js';
import { searchView } from './views/search.js';
import scheduler from './views/scheduler.js';
import { pdpView, proofSetView } from './views/pdp.js';
import node from './views/node.js';
import audit from './views/audit.js';
import login from './views/login.js';
import { session, say, refreshSession } from './lib/session.js';

const routes = [
  [/^\/$/, 'overview', overview],
  [/^\/queues\/([^/]+)$/, 'overview', jobsView],
  [/^\/queues\/([^/]+)\/jobs\/(\d+)$/, 'overview', jobView],
  [/^\/queues\/([^/]+)\/dead$/, 'overview', deadView],
  [/^\/queues\/([^/]+)\/dead\/(\d+)$/, 'overview', deadOneView],
  [/^\/queues\/([^/]+)\/search$/, 'overview', searchView],
  [/^\/scheduler$/, 'scheduler', scheduler],
  [/^\/pdp$/, 'pdp', pdpView],
  [/^\/pdp\/(\d+)$/, 'pdp', proofSetView],
  [/^\/node$/, 'node', node],
  [/^\/audit$/, 'audit', audit],
  [/^\/login$/, null, login],
];

let renderCount = 0;

async function render(focus) {
  const mine = ++renderCount;
  const [path, query = ''] = (location.hash.slice(1) || '/').split('?');
  const main = document.getElementById('main');
  const match = routes.map(([re, nav, view]) => [re.exec(decodeURIComponent(path)), nav, view]).find(([m]) => m);
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (match && a.dataset.nav === match[1]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  events.subscribe({});
  if (!match) {
    main.replaceChildren(h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/' }, 'Back to the overview')));
    return;
  }
  main.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  const [m, , view] = match;
  const ctx = { params: m.slice(1), query: new URLSearchParams(query), stale: () => mine !== renderCount, rerender: () => render(false) };
  try {
    const content = await view(ctx);
    if (ctx.stale()) return;
    main.replaceChildren(...[content].flat());
  } catch (e) {
    if (ctx.stale()) return;
    main.replaceChildren(h('h1', {}, 'Could not load this screen'), h('div', { class: 'error', id: 'screen-error' }, e.message));
  }
  document.body.dataset.screen = path;
  document.body.dataset.renders = String(mine);
  if (focus) main.focus();
}

document.getElementById('logout').addEventListener('click', async () => {
  await api.post('logout');
  await refreshSession();
  say('Logged out.');
  render(false);
});

window.addEventListener('hashchange', () => { say(''); render(true); });
window.piriConsole = { events: events.state, session };

refreshSession().catch((e) => say('Cannot reach the node: ' + e.message, true)).finally(() => {
  events.start();
  render(false);
});
