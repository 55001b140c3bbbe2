// One machine: its lifecycle on the diagram with the allowed actions, assignment, hardware, plan (no secrets),
// install progress, rollout, the event timeline, and the machine as of any of its events.

import { api, apiCaughtUp, ApiError } from './api.js';
import { actionButtons, reachableStates } from './actions.js';
import { lifecycleDiagram } from './diagram.js';
import { ago, bytes, coalesce, facts, h, labelChips, progressBar, section, shortId, stateBadge } from './ui.js';

export function mountMachine(main, id, app) {
  const path = `/api/v1/machines/${encodeURIComponent(id)}`;
  const heading = h('h1', { tabindex: '-1' }, `Machine ${shortId(id)}`);
  const summary = h('div', { class: 'summary' });
  const actions = h('div');
  const diagram = h('div', { class: 'diagram-wrap' });
  const asOf = h('div', { class: 'as-of' });
  const panels = h('div', { class: 'panels' });
  const timeline = h('ol', { class: 'timeline', id: 'timeline', reversed: true });
  main.replaceChildren(
    h('p', {}, h('a', { href: '#/inventory' }, '← Inventory')),
    heading, summary,
    section('Lifecycle', diagram, actions, asOf),
    panels,
    section('Events', h('p', { class: 'muted' }, 'Newest first; each with who caused it and its correlation id.'),
      timeline));

  let machine = null;
  let events = [];
  let viewing = null; // the sequence the slider shows, null = now

  async function load(minVersion) {
    try {
      const q = minVersion === undefined ? '' : `?minVersion=${minVersion}`;
      const [m, history] = await Promise.all([apiCaughtUp(path + q), api(`${path}/events`)]);
      machine = m;
      events = history;
      render();
      if (m.install && m.install.planId) {
        loadPlan();
      }
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) {
        main.replaceChildren(h('h1', { tabindex: '-1' }, 'No such machine'), h('p', {}, `${id}: ${e.line}`),
          h('p', {}, h('a', { href: '#/inventory' }, '← Inventory')));
        return;
      }
      summary.replaceChildren(h('p', { class: 'error' }, `Could not read the machine: ${e.line || e.message}`));
    }
  }

  function render() {
    const m = machine;
    heading.textContent = m.hostname ? `${m.hostname}` : `Machine ${shortId(m.machineId)}`;
    summary.replaceChildren(...[
      stateBadge(m.state),
      m.drained ? h('span', { class: 'chip' }, 'drained') : null,
      h('span', { class: `health health-${m.health.status}` }, `health ${m.health.status}`),
      h('span', { class: 'muted' }, `power ${m.power.state}`),
      h('span', { class: 'muted mono' }, m.machineId),
      h('span', { class: 'muted' }, 'last seen ', ago(m.lastSeen))].filter(Boolean));
    actions.replaceChildren(actionButtons(app.lifecycle, m, answer => load(answer.version)));
    drawDiagram();
    renderAsOf();
    panels.replaceChildren(assignment(m), install(m), rollout(m), hardware(m), plan);
    renderTimeline();
  }

  function drawDiagram(pastState) {
    const state = pastState || machine.state;
    const reachable = pastState ? new Map() : reachableStates(app.lifecycle, machine.state);
    diagram.replaceChildren(lifecycleDiagram(app.lifecycle, state, reachable,
      pastState ? `As of event ${viewing}: ${pastState}.` : `Now ${state}; the outlined states are one action away.`),
    h('p', { class: 'muted small' }, 'Filled: ', pastState ? `the state as of event ${viewing}` : 'the state now',
      '. Outlined: where an allowed action leads (hover for its name). Mark failed reaches FAILED from every state but RETIRED.'));
  }

  function renderAsOf() {
    const last = events.length - 1;
    const label = h('label', { for: 'as-of', id: 'as-of-label' }, 'State as of event');
    const out = h('output', { for: 'as-of', id: 'as-of-output' });
    const slider = h('input', { type: 'range', id: 'as-of', min: '0', max: String(Math.max(last, 0)),
      value: String(viewing === null ? last : viewing), 'aria-describedby': 'as-of-output',
      oninput: coalesce(ev => showAsOf(Number(ev.target.value), out), 150) });
    asOf.replaceChildren(label, slider, out);
    describe(out, viewing === null ? last : viewing, viewing === null ? machine.state : null);
  }

  function describe(out, seq, state) {
    const e = events[seq];
    out.replaceChildren(`#${seq}`, e ? ` ${e.type} (${new Date(e.timestamp).toISOString()})` : '',
      ...(state ? [' → ', stateBadge(state)] : []));
  }

  async function showAsOf(seq, out) {
    if (seq >= events.length - 1) {
      viewing = null;
      describe(out, events.length - 1, machine.state);
      drawDiagram();
      return;
    }
    viewing = seq;
    try {
      const past = await api(`${path}/state?at=${seq}`);
      if (viewing === seq) {
        describe(out, seq, past.state);
        drawDiagram(past.state);
      }
    } catch (e) {
      out.textContent = `#${seq}: ${e.line || e.message}`;
    }
  }

  function renderTimeline() {
    timeline.replaceChildren(...[...events].reverse().map(e => h('li', { 'data-sequence': String(e.sequence) },
      h('span', { class: 'seq' }, `#${e.sequence}`),
      h('strong', {}, e.type),
      h('time', { datetime: e.timestamp }, new Date(e.timestamp).toISOString().replace('T', ' ').slice(0, 19)),
      h('span', { class: 'who' }, e.metadata && e.metadata.principal || '—'),
      h('span', { class: 'mono small', title: 'correlation id' }, e.metadata && e.metadata.correlationId || ''))));
  }

  const plan = section('Install plan', h('p', { class: 'muted' }, 'No plan issued yet.'));

  async function loadPlan() {
    try {
      const p = await api(`${path}/install-plan`);
      const body = p.plan || {};
      const root = body.rootDevice || {};
      plan.replaceChildren(plan.firstChild, facts([
        ['Plan', h('span', { class: 'mono' }, p.planId)],
        ['Status', p.status],
        ['System', body.system ? `${body.system.flake || ''}#${body.system.configuration || body.system.attribute || ''}` : null],
        ['Root disk', root.path ? h('span', { class: 'mono' }, root.path) : null],
        ['Why this disk', root.reason],
        ['Disk layout', body.diskLayout],
        ['Wipe', body.wipe],
        ['Network', body.network ? `${body.network.mode} ${body.network.hostname}.${body.network.domain || ''}` : null],
        ['Issued', p.issuedAt ? ago(p.issuedAt) : null],
      ]), h('p', { class: 'muted small' }, 'Secrets (install token, keys) are never shown: they are sealed to the installer.'));
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 404)) {
        plan.replaceChildren(plan.firstChild, h('p', { class: 'error' }, e.line || e.message));
      }
    }
  }

  const later = coalesce(seq => load(seq), 200);
  load();
  return {
    onEvent(e) {
      if (e.aggregateType === 'Machine' && e.aggregateId === id) {
        later(e.sequence);
      }
    },
  };
}

function assignment(m) {
  const e = m.enrollment;
  return section('Assignment', facts([
    ['Class', m.nodeClass], ['Pool', m.pool], ['Hostname', m.hostname], ['Node id', m.nodeId],
    ['Labels', Object.keys(m.labels || {}).length ? labelChips(m.labels) : null],
    ['Matched', m.assignment && m.assignment.matchedRule],
    ['Enrollment', e ? (e.matched ? `matches ${e.matched}` : 'no node or rule matches') : 'no intent imported'],
    ['Waiting for', e && e.waitingFor],
  ]), e && e.explanation && e.explanation.length
    ? h('details', {}, h('summary', {}, 'Why (rule match, line by line)'),
      h('ul', { class: 'explain' }, e.explanation.map(line => h('li', {}, line))))
    : null);
}

function install(m) {
  const i = m.install;
  if (!i) {
    return section('Install', h('p', { class: 'muted' }, 'Not installing.'));
  }
  return section('Install', progressBar(i.percent, 'Install progress'), facts([
    ['Step', i.step], ['Message', i.message], ['Result', i.result],
    ['Attempt', i.attempt ? `${i.attempt} of ${i.attemptLimit}` : null],
    ['Root disk', i.rootDevice ? h('span', { class: 'mono' }, i.rootDevice) : null],
    ['Updated', i.updatedAt ? ago(i.updatedAt) : null],
  ]));
}

function rollout(m) {
  const r = m.rollout || {};
  const last = r.lastActivation || {};
  return section('Rollout', facts([
    ['Status', r.status], ['Deployment', r.deploymentId], ['Generation', r.generation],
    ['Desired', r.desiredSystem && h('span', { class: 'mono' }, typeof r.desiredSystem === 'string'
      ? r.desiredSystem : JSON.stringify(r.desiredSystem))],
    ['Running', r.runningSystem && h('span', { class: 'mono' }, r.runningSystem)],
    ['Last activation', last.result ? `${last.result} (generation ${last.generation}) ${last.message || ''}` : null],
    ['Health', `${m.health.status}${m.health.detail ? `: ${m.health.detail}` : ''}`],
  ]));
}

function hardware(m) {
  const hw = m.hardware || {};
  const id = hw.identity || {};
  const cpu = hw.cpu || {};
  return section('Hardware', facts([
    ['Vendor', [id.vendor, id.product].filter(Boolean).join(' ')],
    ['Serial', id.systemSerial],
    ['CPU', [cpu.model, cpu.cores ? `${cpu.cores} cores` : null, cpu.threads ? `${cpu.threads} threads` : null]
      .filter(Boolean).join(', ')],
    ['Memory', hw.memoryBytes ? bytes(hw.memoryBytes) : null],
    ['Boot', hw.boot && hw.boot.mode],
    ['Fingerprint', h('span', { class: 'mono' }, m.fingerprint || '—')],
  ]),
  h('table', { class: 'grid compact' }, h('caption', {}, 'Disks'),
    h('thead', {}, h('tr', {}, ['Name', 'Size', 'Model', 'Type'].map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, (hw.disks || []).map(d => h('tr', {}, h('td', { class: 'mono' }, d.name), h('td', {}, bytes(d.sizeBytes)),
      h('td', {}, d.model || '—'), h('td', {}, `${d.transport || ''}${d.rotational ? ' HDD' : ' SSD'}${d.removable ? ' removable' : ''}`))))),
  h('table', { class: 'grid compact' }, h('caption', {}, 'Network interfaces'),
    h('thead', {}, h('tr', {}, ['Name', 'MAC', 'Link', 'Speed'].map(c => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, (hw.nics || []).map(n => h('tr', {}, h('td', {}, n.name), h('td', { class: 'mono' }, n.mac),
      h('td', {}, n.link ? 'up' : 'down'), h('td', {}, n.speedMbps ? `${n.speedMbps} Mb/s` : '—'))))));
}
