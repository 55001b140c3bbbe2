// The web console: sign-in with an API token, then the inventory, the commission view, one machine, the rollouts,
// all kept current by the live event stream. Routes are URL fragments, so a page can be linked and reloaded.

import { api, ApiError, LiveStream, session } from './api.js';
import { mountCommission } from './commission.js';
import { mountInventory } from './inventory.js';
import { mountMachine } from './machine.js';
import { mountRollouts } from './rollouts.js';
import { h, toast } from './ui.js';

const main = document.getElementById('main');
const live = document.getElementById('live');
const stream = new LiveStream(status => {
  live.textContent = status === 'live' ? '● live' : status === 'reconnecting' ? '○ reconnecting…' : '';
  live.className = `live ${status}`;
});
const app = {
  lifecycle: null,
  toast,
  /** Replaces the current route's query without a new history entry or a re-render. */
  replaceQuery(params) {
    const [path] = location.hash.slice(1).split('?');
    const q = new URLSearchParams(params).toString();
    history.replaceState(null, '', `#${path}${q ? `?${q}` : ''}`);
  },
};
let view = null;

stream.subscribe(event => {
  if (view && view.onEvent) {
    view.onEvent(event);
  }
});

session.onUnauthorized = () => signOut('Your token is no longer valid (expired or revoked). Sign in again.');

function signOut(message) {
  session.remember(null);
  session.role = null;
  stream.stop();
  showSignIn(message);
}

function showSignIn(message) {
  view = null;
  document.getElementById('nav').hidden = true;
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  const error = h('p', { class: 'error', id: 'sign-in-error', role: 'alert' }, message || '');
  const input = h('input', { id: 'token', name: 'token', type: 'password', autocomplete: 'off', required: true,
    'aria-describedby': 'token-help' });
  main.replaceChildren(h('section', { class: 'sign-in panel', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title', tabindex: '-1' }, 'Sign in'),
    h('form', {
      onsubmit: async ev => {
        ev.preventDefault();
        error.textContent = '';
        try {
          await signIn(input.value.trim());
        } catch (e) {
          error.textContent = e instanceof ApiError && e.status === 401
            ? 'That token is not valid: unknown, expired or revoked.' : `Could not sign in: ${e.line || e.message}`;
          input.focus();
        }
      },
    },
    h('label', { for: 'token' }, 'API token'), input,
    h('p', { id: 'token-help', class: 'muted small' }, 'A token from POST /api/v1/admin/tokens or `deployer-ctl tokens create` '
      + '(the first start writes an admin token to data/admin-token). A viewer reads; an operator also acts. '
      + 'It stays in this tab only.'),
    h('button', { type: 'submit', class: 'primary', id: 'sign-in' }, 'Sign in')),
    error));
  input.focus();
}

async function signIn(token) {
  const who = await api('/api/v1/session', { token: token || null });
  session.remember(token || null);
  session.principal = who.principal;
  session.role = who.role;
  session.securityEnabled = who.securityEnabled;
  app.lifecycle = app.lifecycle || await api('/api/v1/lifecycle');
  document.getElementById('nav').hidden = false;
  document.getElementById('sign-out').hidden = !who.securityEnabled;
  document.getElementById('who').textContent = `${who.principal} · ${who.role}`;
  stream.start();
  route();
}

function route() {
  if (!session.role) {
    return;
  }
  const [path, q] = (location.hash.slice(1) || '/inventory').split('?');
  const params = new URLSearchParams(q || '');
  const parts = path.split('/').filter(Boolean);
  for (const a of document.querySelectorAll('#nav a')) {
    a.toggleAttribute('aria-current', a.dataset.route === parts[0]);
    if (a.dataset.route === parts[0]) {
      a.setAttribute('aria-current', 'page');
    }
  }
  if (parts[0] === 'machine' && parts[1]) {
    view = mountMachine(main, decodeURIComponent(parts[1]), app);
  } else if (parts[0] === 'commission') {
    view = mountCommission(main, params, app);
  } else if (parts[0] === 'rollouts') {
    view = mountRollouts(main, params, app);
  } else {
    view = mountInventory(main, params, app);
  }
  const heading = main.querySelector('h1');
  if (heading) {
    heading.focus({ preventScroll: true });
  }
}

window.addEventListener('hashchange', route);
document.getElementById('sign-out').addEventListener('click', () => signOut('Signed out.'));

// A token kept in this tab signs in again on reload; with none, lab mode (no security) needs none.
(async () => {
  try {
    await signIn(session.token);
  } catch (e) {
    session.remember(null);
    showSignIn('');
  }
})();
