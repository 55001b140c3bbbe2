// Lifecycle actions from the console: which ones the table allows now, and running one (with its form or
// confirmation). What a refusal says comes from the gateway's problem+json, word for word.

import { api, ApiError, session } from './api.js';
import { confirmAction, field, h, toast } from './ui.js';

// Actions that take a machine out of service, wipe it or end it: always confirmed.
const DESTRUCTIVE = {
  retire: 'Retire revokes its credentials and shreds its secrets; it leaves the fleet.',
  reprovision: 'Reprovision revokes its credentials and reinstalls it from scratch: its disks are wiped.',
  rescue: 'Rescue boots the installer in rescue mode: the installed system stops running.',
  drain: 'Drain takes it out of service before maintenance.',
  'mark-failed': 'Mark failed stops whatever it is doing; an operator then decides what follows.',
};

/** The operator actions the lifecycle table allows from `state`, in table order, with the states they lead to. */
export function allowedActions(table, state) {
  const out = new Map();
  for (const t of table.transitions) {
    if (t.from === state && t.operatorAction) {
      const to = out.get(t.operatorAction) || new Set();
      t.to.forEach(x => to.add(x));
      out.set(t.operatorAction, to);
    }
  }
  return out;
}

/** The states reachable by operator actions from `state`: state → the actions that lead there. */
export function reachableStates(table, state) {
  const out = new Map();
  for (const [action, targets] of allowedActions(table, state)) {
    for (const to of targets) {
      if (to !== state) {
        const names = out.get(to) || new Set();
        names.add(action);
        out.set(to, names);
      }
    }
  }
  return out;
}

function text(name, label, value = '', attrs = {}) {
  return field(label, h('input', { name, value, autocomplete: 'off', ...attrs }));
}

/** The body an action sends, asking for what it needs; null when the operator cancelled. */
async function bodyFor(action, machine) {
  const suggested = machine.enrollment && machine.enrollment.assignment || {};
  switch (action) {
    case 'commission': {
      const v = await confirmAction('Commission', 'Assign the machine a node class, pool and hostname.', [
        text('nodeClass', 'Node class', machine.nodeClass || suggested.nodeClass || '', { required: true }),
        text('pool', 'Pool', machine.pool || suggested.pool || '', { required: true }),
        text('hostname', 'Hostname', machine.hostname || suggested.hostname || '', { required: true }),
      ]);
      return v && { nodeClass: v.nodeClass, pool: v.pool, hostname: v.hostname,
        ...(suggested.labels ? { labels: suggested.labels } : {}) };
    }
    case 'approve-installer': {
      const key = machine.installer && machine.installer.awaitingApproval;
      const v = await confirmAction('Approve installer',
        `Trust the installer key ${key || '(none awaiting)'}: the plan's secrets are sealed to it.`);
      return v && (key ? { installerKey: key } : {});
    }
    case 'mark-failed': {
      const v = await confirmAction('Mark failed', DESTRUCTIVE[action], [text('reason', 'Reason', '')]);
      return v && (v.reason ? { reason: v.reason } : {});
    }
    case 'reprovision': {
      const fields = machine.state === 'ACTIVE'
        ? [field('Reinstall a running machine (force)', h('input', { type: 'checkbox', name: 'force' }))] : [];
      const v = await confirmAction('Reprovision', DESTRUCTIVE[action], fields);
      return v && (v.force ? { force: true } : {});
    }
    default:
      if (DESTRUCTIVE[action]) {
        const v = await confirmAction(action[0].toUpperCase() + action.slice(1), DESTRUCTIVE[action]);
        return v && {};
      }
      return {};
  }
}

/** Runs `action` on the machine; answers the new detail, or null when cancelled or refused (a toast says why). */
export async function runAction(machine, action) {
  const body = await bodyFor(action, machine);
  if (body === null) {
    return null;
  }
  try {
    const answer = await api(`/api/v1/machines/${encodeURIComponent(machine.machineId)}/${action}`,
      { method: 'POST', body });
    toast(`${action}: ${machine.hostname || machine.machineId} is ${answer.state}`, 'ok');
    return answer;
  } catch (e) {
    if (e instanceof ApiError) {
      toast(`${action} refused: ${e.line}`, 'error');
      return null;
    }
    throw e;
  }
}

/** One button per allowed action; disabled (with the reason) for a viewer. */
export function actionButtons(table, machine, after) {
  const allowed = allowedActions(table, machine.state);
  if (allowed.size === 0) {
    return h('p', { class: 'muted' }, `No operator action is allowed from ${machine.state}.`);
  }
  const may = session.mayOperate();
  return h('div', { class: 'actions', role: 'group', 'aria-label': 'Actions' }, [...allowed.keys()].map(action =>
    h('button', {
      type: 'button', class: DESTRUCTIVE[action] ? 'danger' : 'primary', 'data-action': action,
      disabled: !may, title: may ? `→ ${[...allowed.get(action)].join(' or ')}` : 'needs the operator role',
      onclick: async ev => {
        const button = ev.currentTarget;
        button.disabled = true;
        try {
          const answer = await runAction(machine, action);
          if (answer) {
            await after(answer);
          }
        } finally {
          if (button.isConnected) {
            button.disabled = !may;
          }
        }
      },
    }, action)));
}
