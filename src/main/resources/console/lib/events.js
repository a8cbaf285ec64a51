// One EventSource per tab while the tab is visible: a hidden tab closes it (Page Visibility API)
// and opens it again, with a fresh read by the screen, when it is shown.

const listeners = new Map();
let source = null;
let onReopen = () => {};
export const state = { value: 'closed' };

function setState(v) {
  state.value = v;
  const badge = document.getElementById('live');
  if (badge) {
    badge.textContent = v === 'open' ? 'live' : v === 'paused' ? 'paused (hidden)' : 'offline';
    badge.classList.toggle('on', v === 'open');
  }
}

function open() {
  if (source) return;
  source = new EventSource(new URL('api/events', document.baseURI), { withCredentials: true });
  source.onopen = () => setState('open');
  source.onerror = () => setState(source && source.readyState === EventSource.CLOSED ? 'closed' : 'connecting');
  for (const type of ['queue', 'tasks', 'proofsets']) {
    source.addEventListener(type, (e) => {
      const data = JSON.parse(e.data);
      for (const fn of listeners.get(type) || []) fn(data);
    });
  }
}

function close(next) {
  if (source) source.close();
  source = null;
  setState(next);
}

/** Starts listening and follows the tab's visibility from now on. */
export function start() {
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') {
      close('paused');
    } else {
      open();
      onReopen();
    }
  });
  if (document.visibilityState !== 'hidden') open();
}

/** A screen's subscriptions, replaced when the screen changes; reopen() runs after a hidden spell. */
export function subscribe(handlers, reopen = () => {}) {
  listeners.clear();
  for (const [type, fn] of Object.entries(handlers)) listeners.set(type, [fn]);
  onReopen = reopen;
}
