// Line charts of per-minute values as inline SVG, drawn here with no library: one x axis of
// minutes, one y axis from 0 to the largest value, a line per series broken where a value is null.

const NS = 'http://www.w3.org/2000/svg';
const W = 560;
const H = 150;
const PAD = { left: 52, right: 8, top: 10, bottom: 20 };

function el(tag, attrs = {}, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

function hhmm(ms) {
  return new Date(ms).toISOString().slice(11, 16);
}

function label(v, unit) {
  if (unit === 'ms') return v >= 1000 ? (v / 1000).toFixed(v >= 10000 ? 0 : 1) + ' s' : (v >= 10 ? v.toFixed(0) : v.toFixed(2)) + ' ms';
  return Number(v).toLocaleString('en-US');
}

/**
 * A chart of {@code series} [{name, cls, values}], values one per minute from {@code start}, in
 * {@code unit} ('ms' or a count). Returns the svg, labelled for screen readers with each series' largest value.
 */
export function lineChart(id, title, start, series, unit) {
  const n = Math.max(1, ...series.map((s) => s.values.length));
  const all = series.flatMap((s) => s.values.filter((v) => v !== null && v !== undefined));
  const max = Math.max(unit === 'ms' ? 0.01 : 1, ...all);
  const x = (i) => PAD.left + (n === 1 ? 0 : (i * (W - PAD.left - PAD.right)) / (n - 1));
  const y = (v) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
  const summary = series.map((s) => {
    const vals = s.values.filter((v) => v !== null && v !== undefined);
    return `${s.name}: ${vals.length ? 'max ' + label(Math.max(...vals), unit) : 'no data'}`;
  }).join('; ');
  const svg = el('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'data-chart': id, 'data-points': String(all.length),
    'aria-label': `${title}, per minute from ${hhmm(start)}: ${summary}` });
  svg.append(el('title', {}, title));
  svg.append(el('line', { class: 'axis', x1: PAD.left, y1: H - PAD.bottom, x2: W - PAD.right, y2: H - PAD.bottom }));
  svg.append(el('line', { class: 'grid', x1: PAD.left, y1: PAD.top, x2: W - PAD.right, y2: PAD.top }));
  svg.append(el('text', { x: PAD.left - 4, y: PAD.top + 4, 'text-anchor': 'end' }, label(max, unit)));
  svg.append(el('text', { x: PAD.left - 4, y: H - PAD.bottom, 'text-anchor': 'end' }, '0'));
  svg.append(el('text', { x: PAD.left, y: H - 4 }, hhmm(start)));
  svg.append(el('text', { x: W - PAD.right, y: H - 4, 'text-anchor': 'end' }, hhmm(start + (n - 1) * 60000) + ' UTC'));
  for (const s of series) {
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null || v === undefined) { pen = false; return; }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
      pen = true;
    });
    // A lone minute between gaps is a dot rather than an invisible line.
    s.values.forEach((v, i) => {
      const alone = v !== null && v !== undefined && (s.values[i - 1] ?? null) === null && (s.values[i + 1] ?? null) === null;
      if (alone) svg.append(el('circle', { class: 'dot ' + s.cls, cx: x(i).toFixed(1), cy: y(v).toFixed(1), r: 2 }));
    });
    if (d) svg.append(el('path', { class: 'line ' + s.cls, d }));
  }
  return svg;
}
