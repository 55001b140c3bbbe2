// The lifecycle drawn from GET /api/v1/lifecycle (the aggregate's own transition table): every state a box, every
// transition between two different states an arrow. The machine's state is filled; the states its allowed operator
// actions lead to are outlined, and so are those arrows.

import { s } from './ui.js';

// Where each state sits: the install path on the top row, day-2 and failure states below it.
const PLACE = {
  DISCOVERED: [0, 0], INSPECTED: [1, 0], COMMISSIONED: [2, 0], INSTALL_PENDING: [3, 0], INSTALLING: [4, 0],
  INSTALLED: [5, 0], ACTIVE: [6, 0],
  RETIRED: [0, 2], FAILED: [2, 2], REPROVISIONING: [3, 1], RESCUE: [4, 2], DRAINING: [6, 2],
};
const W = 124;
const H = 34;
const GAP_X = 28;
const GAP_Y = 46;
const PAD = 10;

function box(state, index) {
  const [col, row] = PLACE[state] || [index % 7, 3 + Math.floor(index / 7)];
  return { x: PAD + col * (W + GAP_X), y: PAD + row * (H + GAP_Y) };
}

/** An SVG of the lifecycle; `current` is filled, `reachable` (state → action names) outlined. */
export function lifecycleDiagram(table, current, reachable = new Map(), caption = '') {
  const pos = new Map(table.states.map((st, i) => [st.name, box(st.name, i)]));
  const rows = Math.max(...[...pos.values()].map(p => p.y)) + H + PAD;
  const width = PAD * 2 + 7 * W + 6 * GAP_X;
  const svg = s('svg', { viewBox: `0 0 ${width} ${rows}`, class: 'diagram', role: 'img',
    'aria-label': `Lifecycle diagram. ${caption}` });
  svg.append(s('defs', {},
    s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7',
      orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' })),
    s('marker', { id: 'arrow-next', viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7',
      orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead next' }))));

  const edges = new Map();
  for (const t of table.transitions) {
    if (!t.from || t.action === 'mark-failed') {
      continue; // mark-failed reaches FAILED from every state: said once in the caption instead of eleven arrows
    }
    for (const to of t.to) {
      if (to === t.from) {
        continue;
      }
      const key = `${t.from}>${to}`;
      const e = edges.get(key) || { from: t.from, to, actions: new Set() };
      e.actions.add(t.action);
      edges.set(key, e);
    }
  }
  const edgeLayer = s('g', { class: 'edges' });
  for (const e of edges.values()) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) {
      continue;
    }
    const next = e.from === current && reachable.has(e.to);
    const [x1, y1, x2, y2] = ends(a, b);
    const bend = e.from < e.to ? 18 : -18; // two directions between the same pair do not overlap
    const mx = (x1 + x2) / 2 + (y1 === y2 ? 0 : bend);
    const my = (y1 + y2) / 2 + (y1 === y2 ? bend : 0);
    edgeLayer.append(s('path', { d: `M${x1},${y1} Q${mx},${my} ${x2},${y2}`, class: next ? 'edge next' : 'edge',
      'marker-end': next ? 'url(#arrow-next)' : 'url(#arrow)' },
      s('title', {}, `${e.from} → ${e.to}: ${[...e.actions].join(', ')}`)));
  }
  svg.append(edgeLayer);

  for (const st of table.states) {
    const p = pos.get(st.name);
    const cls = ['node', st.group];
    if (st.name === current) {
      cls.push('current');
    } else if (reachable.has(st.name)) {
      cls.push('reachable');
    }
    const title = st.name === current ? `${st.name} (now)`
      : reachable.has(st.name) ? `${st.name}: ${[...reachable.get(st.name)].join(', ')}` : st.name;
    svg.append(s('g', { class: cls.join(' '), 'data-state': st.name },
      s('title', {}, title),
      s('rect', { x: p.x, y: p.y, width: W, height: H, rx: 6 }),
      s('text', { x: p.x + W / 2, y: p.y + H / 2 + 4, 'text-anchor': 'middle' }, st.name.replace('_', ' '))));
  }
  return svg;
}

/** Where an arrow between two boxes starts and ends: the facing sides. */
function ends(a, b) {
  if (a.y === b.y) {
    const right = b.x > a.x;
    return [right ? a.x + W : a.x, a.y + H / 2, right ? b.x : b.x + W, b.y + H / 2];
  }
  const down = b.y > a.y;
  return [a.x + W / 2, down ? a.y + H : a.y, b.x + W / 2, down ? b.y : b.y + H];
}
