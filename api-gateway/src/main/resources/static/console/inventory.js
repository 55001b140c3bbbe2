// The inventory: counts per state as filter tabs, search and filters (kept in the URL), one line per machine,
// updated live from the event stream without a reload.

import { apiCaughtUp, api, query } from './api.js';
import { ago, coalesce, field, h, labelChips, shortId, stateBadge } from './ui.js';

const PAGE_SIZE = 50;

export function mountInventory(main, params, app) {
  const filters = {
    state: params.get('state') || '', q: params.get('q') || '', nodeClass: params.get('nodeClass') || '',
    pool: params.get('pool') || '', label: params.get('label') || '', page: Number(params.get('page') || 0),
  };
  const tabs = h('div', { class: 'tabs', role: 'group', 'aria-label': 'Machines per state' });
  const status = h('p', { class: 'muted', id: 'inventory-status', 'aria-live': 'polite' });
  const body = h('tbody');
  const pager = h('div', { class: 'pager' });
  const input = (name, label, placeholder) => field(label, h('input', {
    name, type: name === 'q' ? 'search' : 'text', value: filters[name], placeholder, autocomplete: 'off',
    oninput: coalesce(ev => setFilter(name, ev.target.value.trim()), 300),
  }));

  main.replaceChildren(
    h('h1', { tabindex: '-1' }, 'Inventory'),
    tabs,
    h('form', { class: 'filters', role: 'search', onsubmit: ev => ev.preventDefault() },
      input('q', 'Search', 'hostname, serial, MAC, address…'),
      input('nodeClass', 'Class', 'any'),
      input('pool', 'Pool', 'any'),
      input('label', 'Label', 'key or key=value')),
    status,
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid', id: 'inventory' },
      h('caption', { class: 'sr-only' }, 'Machines'),
      h('thead', {}, h('tr', {}, ['State', 'Hostname', 'Class', 'Pool', 'Labels', 'Root disk', 'Health', 'Last seen']
        .map(c => h('th', { scope: 'col' }, c)))),
      body)),
    pager);

  function setFilter(name, value) {
    filters[name] = value;
    if (name !== 'page') {
      filters.page = 0;
    }
    app.replaceQuery(Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '' && v !== 0)));
    refresh();
  }

  let anchor = null; // the last machine event seen: the page is read once the inventory has folded it
  let generation = 0;

  async function refresh() {
    const mine = ++generation;
    const listParams = { state: filters.state, q: filters.q, nodeClass: filters.nodeClass, pool: filters.pool,
      label: filters.label, page: filters.page || undefined, size: PAGE_SIZE, sort: 'hostname' };
    if (anchor) {
      listParams.machineId = anchor.aggregateId;
      listParams.minVersion = anchor.sequence;
    }
    try {
      // the counts after the page: once the page has waited for the last event, the counts (written in the same
      // transaction as the rows) include it too
      const page = await apiCaughtUp(`/api/v1/machines${query(listParams)}`);
      const counts = await api(`/api/v1/machines/counts${query({ nodeClass: filters.nodeClass, pool: filters.pool })}`);
      if (mine !== generation) {
        return;
      }
      renderTabs(counts);
      renderRows(page);
    } catch (e) {
      if (mine === generation) {
        status.textContent = `Could not read the inventory: ${e.line || e.message}`;
        status.className = 'error';
      }
    }
  }

  function renderTabs(counts) {
    const tab = (state, label, n) => h('button', {
      type: 'button', class: 'tab', 'aria-pressed': String(filters.state === state), 'data-state': state || 'ALL',
      onclick: () => setFilter('state', state),
    }, label, ' ', h('span', { class: 'count' }, String(n)));
    tabs.replaceChildren(tab('', 'All', counts.total),
      ...Object.entries(counts.byState).filter(([st, n]) => n > 0 || st === filters.state)
        .map(([st, n]) => tab(st, st.replace('_', ' '), n)));
  }

  function renderRows(page) {
    const previous = new Map([...body.rows].map(r => [r.dataset.machine, r.dataset.version]));
    body.replaceChildren(...page.items.map(m => {
      const changed = previous.size > 0 && previous.get(m.machineId) !== String(m.version);
      return h('tr', { 'data-machine': m.machineId, 'data-version': String(m.version), class: changed ? 'flash' : '' },
        h('td', {}, stateBadge(m.state), m.drained ? h('span', { class: 'chip' }, 'drained') : null),
        h('td', {}, h('a', { href: `#/machine/${m.machineId}` }, m.hostname || `(${shortId(m.machineId)})`)),
        h('td', {}, m.nodeClass || '—'),
        h('td', {}, m.pool || '—'),
        h('td', {}, labelChips(m.labels)),
        h('td', { class: 'mono', title: m.rootDisk || '' }, m.rootDisk ? m.rootDisk.replace('/dev/disk/by-id/', '') : '—'),
        h('td', {}, h('span', { class: `health health-${m.health}` }, m.health)),
        h('td', {}, ago(m.lastSeen)));
    }));
    if (page.items.length === 0) {
      body.append(h('tr', {}, h('td', { colspan: '8', class: 'muted' }, 'No machine matches.')));
    }
    status.className = 'muted';
    const first = page.page * page.size;
    status.textContent = page.items.length === 0 ? 'No machines.'
      : `Machines ${first + 1}–${first + page.items.length} of ${page.totalExact ? page.total : `more than ${page.total}`}`;
    pager.replaceChildren(
      h('button', { type: 'button', class: 'quiet', disabled: filters.page === 0,
        onclick: () => setFilter('page', filters.page - 1) }, '← Previous'),
      h('button', { type: 'button', class: 'quiet', disabled: !page.next,
        onclick: () => setFilter('page', filters.page + 1) }, 'Next →'));
  }

  const later = coalesce(refresh, 250);
  refresh();
  return {
    onEvent(e) {
      if (e.aggregateType === 'Machine') {
        anchor = e;
        later();
      }
    },
  };
}
