// Log in with a token (from `piri-db token create`); the node answers with an HttpOnly cookie.

import * as api from '../lib/api.js';
import { h } from '../lib/dom.js';
import { refreshSession, say } from '../lib/session.js';

export default async function login() {
  const input = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true });
  const form = h('form', { class: 'login', id: 'login-form', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const r = await api.post('login', { token: input.value });
      input.value = '';
      await refreshSession();
      say(`Logged in as ${r.name} (${r.role}).`);
      location.hash = '#/';
    } catch (err) {
      say('Login failed: ' + err.message, true);
    }
  } },
  h('label', { for: 'token' }, 'Token'), input,
  h('button', { type: 'submit', id: 'login-submit' }, 'Log in'),
  h('p', { class: 'muted' }, 'Create one on the node: piri-db token create --name NAME --role viewer|operator|admin'));
  return [h('h1', { tabindex: '-1' }, 'Log in'), form];
}
