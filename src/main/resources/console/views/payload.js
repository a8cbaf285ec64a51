// A job's payload: shown when the node reveals it for the queue, else its size, with a button for
// operators that reveals this one job (the node logs who did).

import { h } from '../lib/dom.js';

// Bytes are shown as what they hold when that is UTF-8 text (JSON pretty-printed), else as base64.
function decoded(b64) {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  let s;
  try {
    s = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return `base64 (${bytes.length} bytes, not UTF-8 text): ${b64}`;
  }
  try {
    return `bytes, as JSON (${bytes.length} bytes):\n` + JSON.stringify(JSON.parse(s), null, 2);
  } catch {
    return `bytes, as UTF-8 text (${bytes.length} bytes):\n` + s;
  }
}

function text(job) {
  if ('payload' in job) return JSON.stringify(job.payload, null, 2);
  if ('payload_base64' in job) return decoded(job.payload_base64);
  return null;
}

export function payloadBlock(job, reveal, say) {
  const box = h('div', { id: 'payload' }, h('h2', {}, 'Payload'));
  const shown = text(job);
  if (shown !== null) {
    box.append(h('pre', { id: 'payload-text' }, shown));
    return box;
  }
  const r = job.payload_redacted;
  box.append(h('p', { id: 'payload-redacted', class: 'muted' },
    r ? `Redacted: ${r.kind}, ${r.bytes} bytes. ` : 'No payload.',
    reveal ? '' : 'An operator can reveal it.'));
  if (reveal && r) {
    box.append(h('button', { type: 'button', id: 'reveal', onclick: async (e) => {
      try {
        const full = await reveal();
        e.target.replaceWith(h('pre', { id: 'payload-text' }, text(full) ?? 'No payload.'));
      } catch (err) {
        say('Reveal failed: ' + err.message, true);
      }
    } }, 'Reveal payload'));
  }
  return box;
}
