// Small DOM helpers: elements are built with textContent only, so no stored text becomes markup.

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function num(v) {
  return v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US');
}

export function time(ms) {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '–';
}

export function age(ms) {
  if (ms === null || ms === undefined) return '–';
  const s = Math.round(ms / 1000);
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

/** A table: columns [{key, label, num, render(row)}], rows of objects; a row may get attributes. */
export function table(columns, rows, rowAttrs = () => ({})) {
  return h('table', {},
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { class: c.num ? 'num' : null, scope: 'col' }, c.label)))),
    h('tbody', {}, rows.map(r => h('tr', rowAttrs(r), columns.map(c =>
      h('td', { class: c.num ? 'num' : null, 'data-field': c.key }, c.render ? c.render(r) : (c.num ? num(r[c.key]) : r[c.key] ?? '–')))))));
}

/** An inline SVG line of numbers, oldest first. */
export function sparkline(values, w = 120, hgt = 24) {
  const svgNs = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(svgNs, 'svg');
  svg.setAttribute('class', 'spark');
  svg.setAttribute('width', w);
  svg.setAttribute('height', hgt);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', values.length ? 'per minute: ' + values.join(', ') : 'no data yet');
  if (values.length > 1) {
    const max = Math.max(1, ...values);
    const pts = values.map((v, i) => `${(i * (w - 2)) / (values.length - 1) + 1},${hgt - 1 - (v / max) * (hgt - 2)}`);
    const line = document.createElementNS(svgNs, 'polyline');
    line.setAttribute('points', pts.join(' '));
    svg.append(line);
  }
  return svg;
}

export function notice(kind, text) {
  return h('div', { class: kind }, text);
}
