// Host rollouts: each deployment's progress, and for one deployment every machine's phase; pause, resume, abort.

import { api, apiCaughtUp, ApiError, query, session } from './api.js';
import { ago, coalesce, confirmAction, field, h, progressBar, section, shortId } from './ui.js';

const ACTIONS = { IN_PROGRESS: ['pause', 'abort'], PENDING: ['abort'], PAUSED: ['resume', 'abort'] };

export function mountRollouts(main, params, app) {
  const selected = params.get('id');
  const list = h('div', { id: 'rollouts' });
  const detail = h('div', { id: 'rollout-detail' });
  main.replaceChildren(h('h1', { tabindex: '-1' }, 'Rollouts'), list, detail);
  let hostnames = new Map();
  let anchor = null; // the last deployment event seen: read once the rollout view has folded it

  async function refresh() {
    try {
      if (anchor) {
        await apiCaughtUp(`/api/v1/host-deployments/${encodeURIComponent(anchor.aggregateId)}?minVersion=${anchor.sequence}`);
      }
      const page = await api(`/api/v1/host-deployments${query({ size: 50 })}`);
      list.replaceChildren(page.items.length === 0
        ? h('p', { class: 'muted' }, 'No host deployment yet (docs/rollout.md: how to create one).')
        : h('div', { class: 'table-wrap' }, h('table', { class: 'grid' },
          h('caption', { class: 'sr-only' }, 'Host deployments, newest first'),
          h('thead', {}, h('tr', {}, ['Deployment', 'State', 'Progress', 'Machines', 'Summary', 'Updated']
            .map(c => h('th', { scope: 'col' }, c)))),
          h('tbody', {}, page.items.map(d => h('tr', { 'data-deployment': d.deploymentId },
            h('td', {}, h('a', { href: `#/rollouts?id=${encodeURIComponent(d.deploymentId)}` }, d.deploymentId),
              h('div', { class: 'muted small' }, `generation ${d.generation}`)),
            h('td', {}, h('span', { class: `badge rollout-${d.state.toLowerCase()}` }, d.state)),
            h('td', {}, progressBar(d.progress.percent, `Progress of ${d.deploymentId}`),
              h('div', { class: 'muted small' }, `${d.progress.done} of ${d.progress.total} done`)),
            h('td', {}, counts(d.counts)),
            h('td', { class: 'small' }, d.summary, d.reason ? h('div', { class: 'error' }, d.reason) : null),
            h('td', {}, ago(d.updatedAt))))))));
      if (selected) {
        await showDetail(selected);
      }
    } catch (e) {
      list.replaceChildren(h('p', { class: 'error' }, `Could not read the rollouts: ${e.line || e.message}`));
    }
  }

  async function showDetail(id) {
    const d = await api(`/api/v1/host-deployments/${encodeURIComponent(id)}`);
    const unknown = (d.machines || []).some(m => !hostnames.has(m.machineId));
    if (unknown) {
      const page = await api('/api/v1/machines?size=500&sort=hostname');
      hostnames = new Map(page.items.map(m => [m.machineId, m.hostname]));
    }
    const may = session.mayOperate();
    detail.replaceChildren(section(`Deployment ${d.deploymentId}`,
      h('p', {}, h('span', { class: `badge rollout-${d.state.toLowerCase()}` }, d.state), ' ', d.summary),
      progressBar(d.progress.percent, `Progress of ${d.deploymentId}`),
      h('div', { class: 'actions' }, (ACTIONS[d.state] || []).map(action => h('button', {
        type: 'button', class: action === 'abort' ? 'danger' : 'primary', disabled: !may, 'data-action': action,
        title: may ? '' : 'needs the operator role', onclick: () => steer(d, action),
      }, action))),
      h('table', { class: 'grid' }, h('caption', {}, 'Machines'),
        h('thead', {}, h('tr', {}, ['Machine', 'Phase', 'Desired', 'Running', 'Last result'].map(c => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, (d.machines || []).map(m => h('tr', { 'data-machine': m.machineId },
          h('td', {}, h('a', { href: `#/machine/${m.machineId}` }, hostnames.get(m.machineId) || shortId(m.machineId))),
          h('td', {}, h('span', { class: `phase phase-${m.phase}` }, m.phase), m.reason ? h('div', { class: 'muted small' }, m.reason) : null),
          h('td', { class: 'mono small' }, m.desiredSystem || '—'),
          h('td', { class: 'mono small' }, m.runningSystem || '—'),
          h('td', { class: 'small' }, [m.lastResult, m.lastMessage].filter(Boolean).join(': ') || '—')))))));
  }

  async function steer(d, action) {
    let body = {};
    if (action !== 'resume') {
      const v = await confirmAction(action === 'abort' ? 'Abort' : 'Pause',
        action === 'abort' ? `Abort ${d.deploymentId}: machines not yet rolled out are left as they are.`
          : `Pause ${d.deploymentId}: no new batch starts until it is resumed.`,
        [field('Reason', h('input', { name: 'reason', autocomplete: 'off' }))]);
      if (v === null) {
        return;
      }
      body = v.reason ? { reason: v.reason } : {};
    }
    try {
      await api(`/api/v1/host-deployments/${encodeURIComponent(d.deploymentId)}/${action}`, { method: 'POST', body });
    } catch (e) {
      if (e instanceof ApiError) {
        app.toast(`${action} refused: ${e.line}`, 'error');
        return;
      }
      throw e;
    }
    refresh();
  }

  const later = coalesce(refresh, 300);
  refresh();
  return {
    onEvent(e) {
      if (e.aggregateType === 'HostDeployment') {
        anchor = e;
        later();
      } else if (selected && e.aggregateType === 'Machine') {
        later();
      }
    },
  };
}

function counts(c) {
  const parts = [['rolled out', c.rolledOut], ['activating', c.activating], ['queued', c.queued], ['failed', c.failed],
    ['skipped', c.skipped], ['superseded', c.superseded]].filter(([, n]) => n > 0);
  return parts.length === 0 ? h('span', { class: 'muted' }, `${c.targets} targets`)
    : h('span', { class: 'small' }, parts.map(([k, n]) => `${n} ${k}`).join(', '));
}
