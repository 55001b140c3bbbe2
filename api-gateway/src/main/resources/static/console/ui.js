// Small DOM helpers. Every piece of data goes in as text (textContent), never as HTML.

/** h('a', {href: '#/x', class: 'y'}, 'text', child…): an element; attributes starting with "on" are listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) {
      continue;
    }
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (v === true) {
      el.setAttribute(k, '');
    } else {
      el.setAttribute(k, v);
    }
  }
  append(el, children);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';

export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v !== undefined && v !== null) {
      el.setAttribute(k, v);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) {
      continue;
    }
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function stateBadge(state) {
  return h('span', { class: `badge state-${(state || 'unknown').toLowerCase()}` }, state || '—');
}

export function labelChips(labels) {
  const entries = Object.entries(labels || {});
  if (entries.length === 0) {
    return h('span', { class: 'muted' }, '—');
  }
  return h('span', { class: 'chips' }, entries.map(([k, v]) => h('span', { class: 'chip' }, v === '' ? k : `${k}=${v}`)));
}

/** "12 s ago", "3 min ago", … with the exact time as its title. */
export function ago(instant) {
  if (!instant) {
    return h('span', { class: 'muted' }, '—');
  }
  const t = new Date(instant);
  const secs = Math.max(0, Math.round((Date.now() - t.getTime()) / 1000));
  const text = secs < 60 ? `${secs} s ago` : secs < 3600 ? `${Math.round(secs / 60)} min ago`
    : secs < 86400 ? `${Math.round(secs / 3600)} h ago` : t.toISOString().slice(0, 10);
  return h('time', { datetime: instant, title: t.toISOString() }, text);
}

export function bytes(n) {
  if (n === undefined || n === null) {
    return '—';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** A definition list of [term, value] pairs; values may be nodes. Pairs with an empty value are left out. */
export function facts(pairs) {
  const dl = h('dl', { class: 'facts' });
  for (const [term, value] of pairs) {
    if (value === undefined || value === null || value === '') {
      continue;
    }
    dl.append(h('dt', {}, term), h('dd', {}, value));
  }
  return dl;
}

export function section(title, ...children) {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

export function progressBar(percent, label) {
  const p = Math.max(0, Math.min(100, Math.round(percent || 0)));
  return h('div', { class: 'progress' },
    h('progress', { max: '100', value: String(p), 'aria-label': label }),
    h('span', { class: 'progress-text' }, `${p} %`));
}

export function toast(text, kind = 'info') {
  const box = document.getElementById('toasts');
  const t = h('div', { class: `toast ${kind}` }, text);
  box.append(t);
  setTimeout(() => t.remove(), kind === 'error' ? 12000 : 5000);
}

/** Runs fn at most once per `ms`, with the last arguments given meanwhile. */
export function coalesce(fn, ms) {
  let timer = null;
  let args = null;
  return (...a) => {
    args = a;
    if (timer === null) {
      timer = setTimeout(() => {
        timer = null;
        fn(...args);
      }, ms);
    }
  };
}

/**
 * Asks the operator to confirm a destructive action in the page's dialog; `fields` are extra inputs
 * (h elements with a name). Resolves to the fields' values, or null when cancelled.
 */
export function confirmAction(title, text, fields = []) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-title').textContent = title;
  document.getElementById('confirm-text').textContent = text;
  const box = document.getElementById('confirm-fields');
  box.replaceChildren(...fields);
  document.getElementById('confirm-ok').textContent = title;
  return new Promise(resolve => {
    dialog.addEventListener('close', () => {
      if (dialog.returnValue !== 'ok') {
        resolve(null);
        return;
      }
      const values = {};
      for (const input of box.querySelectorAll('input, select, textarea')) {
        values[input.name] = input.type === 'checkbox' ? input.checked : input.value;
      }
      resolve(values);
    }, { once: true });
    dialog.returnValue = '';
    dialog.showModal();
    document.getElementById('confirm-cancel').focus();
  });
}

export function field(label, input) {
  return h('label', { class: 'field' }, h('span', {}, label), input);
}

export function shortId(id) {
  return id ? id.slice(0, 8) : '—';
}
