// Who is using the console (from GET api/session) and the status line every screen writes to.

import * as api from './api.js';

export const session = { name: null, role: null };

export function canOperate() {
  return session.role === 'operator' || session.role === 'admin';
}

export function say(text, bad = false) {
  const el = document.getElementById('status');
  el.textContent = text;
  el.classList.toggle('bad', bad);
}

export async function refreshSession() {
  const who = await api.get('session');
  session.name = who.role ? who.name : null;
  session.role = who.role;
  document.getElementById('who').textContent = who.role ? `${who.name} (${who.role})` : 'read-only (not logged in)';
  document.getElementById('login-link').hidden = !!who.role;
  document.getElementById('logout').hidden = who.via !== 'cookie';
}
