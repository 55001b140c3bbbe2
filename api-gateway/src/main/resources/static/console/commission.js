// The machines waiting for an operator (discovered, inspected or commissioned, not yet installing): why each one is
// where it is (the intent's rule match, line by line) and the buttons to move it on.

import { api, apiCaughtUp, query, session } from './api.js';
import { runAction } from './actions.js';
import { ago, coalesce, h, labelChips, shortId, stateBadge } from './ui.js';

const WAITING = 'DISCOVERED,INSPECTED,COMMISSIONED';

export function mountCommission(main, params, app) {
  const list = h('div', { class: 'waiting', id: 'waiting' });
  const status = h('p', { class: 'muted', 'aria-live': 'polite' });
  main.replaceChildren(
    h('h1', { tabindex: '-1' }, 'Commission'),
    h('p', { class: 'muted' }, 'Machines that wait for an operator: the rule match the imported intent makes for each, '
      + 'and the next step. Machines an enrollment rule moves on by itself pass through here briefly.'),
    status, list);

  let anchor = null;
  let generation = 0;

  async function refresh() {
    const mine = ++generation;
    const p = { state: WAITING, size: 100, sort: 'hostname' };
    if (anchor) {
      p.machineId = anchor.aggregateId;
      p.minVersion = anchor.sequence;
    }
    try {
      const page = await apiCaughtUp(`/api/v1/machines${query(p)}`);
      const details = await Promise.all(page.items.map(m => api(`/api/v1/machines/${m.machineId}`).catch(() => null)));
      if (mine !== generation) {
        return;
      }
      status.textContent = page.total === 0 ? 'Nothing waits: every machine is installing, installed or beyond.'
        : `${page.total} machine(s) waiting.`;
      list.replaceChildren(...details.filter(Boolean).map(card));
    } catch (e) {
      status.textContent = `Could not read the inventory: ${e.line || e.message}`;
    }
  }

  function card(m) {
    const e = m.enrollment;
    const a = e && e.assignment;
    const may = session.mayOperate();
    const act = (action, label, cls = 'primary') => h('button', {
      type: 'button', class: cls, disabled: !may, 'data-action': action,
      title: may ? '' : 'needs the operator role',
      onclick: async ev => {
        const button = ev.currentTarget;
        button.disabled = true;
        const answer = await runAction(m, action);
        if (answer) {
          anchor = { aggregateId: m.machineId, sequence: answer.version };
          refresh();
        } else if (button.isConnected) {
          button.disabled = false;
        }
      },
    }, label);
    const buttons = [];
    if (m.state === 'DISCOVERED') {
      buttons.push(act('inspect', 'Inspect'));
    }
    if (m.state === 'DISCOVERED' || m.state === 'INSPECTED') {
      buttons.push(act('commission', a ? `Assign as ${a.hostname} (${a.nodeClass}/${a.pool})` : 'Commission…'));
    }
    if (m.state === 'COMMISSIONED') {
      buttons.push(act('install', 'Install'));
    }
    return h('article', { class: 'card', 'data-machine': m.machineId, 'aria-label': m.hostname || m.machineId },
      h('header', {}, stateBadge(m.state), ' ',
        h('a', { href: `#/machine/${m.machineId}` }, m.hostname || `(${shortId(m.machineId)})`), ' ',
        h('span', { class: 'muted' }, [m.hardware && m.hardware.identity && m.hardware.identity.vendor,
          m.hardware && m.hardware.identity && m.hardware.identity.product].filter(Boolean).join(' ')),
        ' ', h('span', { class: 'muted' }, 'seen ', ago(m.lastSeen))),
      e ? h('p', {}, e.matched ? `Matches ${e.matched}` : 'No node or rule of the intent matches.',
        a ? [' — would be ', h('strong', {}, a.hostname), ` in ${a.nodeClass}/${a.pool} `, labelChips(a.labels)] : '',
        e.waitingFor ? h('span', { class: 'muted block' }, `Waiting for: ${e.waitingFor}`) : '')
        : h('p', { class: 'muted' }, 'No intent imported: commission by hand.'),
      e && e.explanation && e.explanation.length
        ? h('details', {}, h('summary', {}, 'Rule match, line by line'),
          h('ul', { class: 'explain' }, e.explanation.map(line => h('li', {}, line)))) : null,
      m.inspection && m.inspection.unmet && m.inspection.unmet.length
        ? h('p', { class: 'error' }, `Inspection unmet: ${m.inspection.unmet.join('; ')}`) : null,
      h('div', { class: 'actions' }, buttons));
  }

  const later = coalesce(refresh, 300);
  refresh();
  return {
    onEvent(e) {
      if (e.aggregateType === 'Machine') {
        anchor = e;
        later();
      } else if (e.aggregateType === 'ClusterIntent') {
        later(); // a new intent changes every rule match
      }
    },
  };
}
