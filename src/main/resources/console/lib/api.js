// The console's JSON API, relative to the page (so any console.prefix works). Failures carry the
// server's {code, error, message}.

export class ApiFailure extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : 'HTTP ' + status);
    this.status = status;
    this.error = body && body.error;
  }
}

async function send(method, path, body) {
  const opts = { method, credentials: 'same-origin', headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    opts.headers['Content-Type'] = 'application/json';
    opts.body = JSON.stringify(body);
  }
  const res = await fetch(new URL('api/' + path, document.baseURI), opts);
  let json = null;
  try { json = await res.json(); } catch (e) { /* an empty or non-JSON body */ }
  if (!res.ok) throw new ApiFailure(res.status, json);
  return json;
}

export const get = (path) => send('GET', path);
export const post = (path, body = {}) => send('POST', path, body);

export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}

export const enc = encodeURIComponent;
