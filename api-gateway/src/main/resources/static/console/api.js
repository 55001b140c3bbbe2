// The console's only way to the gateway: the REST API with the signed-in token, and the live event stream.
// The token lives in sessionStorage (gone with the tab) and is sent as a bearer header, never in a URL.

const TOKEN_KEY = 'ultracloud.token';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && (problem.detail || problem.title) || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  /** One line an operator can act on: the problem's detail and, for invalid fields, which ones. */
  get line() {
    const p = this.problem;
    const fields = (p.errors || []).map(e => `${e.field}: ${e.message}`);
    return [p.title, p.detail, ...fields].filter(Boolean).join(' — ') || this.message;
  }
}

export const session = {
  token: sessionStorage.getItem(TOKEN_KEY),
  principal: null,
  role: null,
  securityEnabled: true,
  onUnauthorized: () => {},

  mayOperate() {
    return this.role === 'operator' || this.role === 'admin';
  },

  remember(token) {
    this.token = token;
    if (token) {
      sessionStorage.setItem(TOKEN_KEY, token);
    } else {
      sessionStorage.removeItem(TOKEN_KEY);
    }
  },
};

function headers(extra, token = session.token) {
  const h = { Accept: 'application/json', ...extra };
  if (token) {
    h.Authorization = `Bearer ${token}`;
  }
  return h;
}

/** GET/POST/... a path of the API; answers the JSON body, throws ApiError with the problem otherwise. */
export async function api(path, { method = 'GET', body, token } = {}) {
  const init = { method, headers: headers(body !== undefined ? { 'Content-Type': 'application/json' } : {}, token) };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!res.ok) {
    if (res.status === 401 && token === undefined) {
      session.onUnauthorized();
    }
    throw new ApiError(res.status, json);
  }
  return json;
}

/** Asks again, briefly, while the read model has not folded the version asked for (503 not-caught-up). */
export async function apiCaughtUp(path, tries = 5) {
  for (let i = 1; ; i++) {
    try {
      return await api(path);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 503 || i >= tries) {
        throw e;
      }
      await new Promise(r => setTimeout(r, 300 * i));
    }
  }
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') {
      q.set(k, v);
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * The live event stream (GET /api/v1/events/stream) read with fetch, because EventSource cannot send the bearer
 * header. It resumes from the last id it saw after any drop (the server's resume hint, a network error, a
 * restart), so nothing is missed; listeners get {id, type, aggregateType, aggregateId, sequence, payload, metadata}.
 */
export class LiveStream {
  constructor(onStatus) {
    this.listeners = new Set();
    this.onStatus = onStatus;
    this.lastId = null;
    this.controller = null;
    this.stopped = true;
  }

  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start() {
    if (!this.stopped) {
      return;
    }
    this.stopped = false;
    this.run();
  }

  stop() {
    this.stopped = true;
    this.lastId = null;
    if (this.controller) {
      this.controller.abort();
    }
    this.onStatus('');
  }

  async run() {
    let wait = 500;
    while (!this.stopped) {
      this.controller = new AbortController();
      try {
        const extra = { Accept: 'text/event-stream' };
        if (this.lastId) {
          extra['Last-Event-ID'] = this.lastId;
        }
        const res = await fetch('/api/v1/events/stream', { headers: headers(extra), signal: this.controller.signal });
        if (res.status === 401) {
          session.onUnauthorized();
          return;
        }
        if (!res.ok) {
          throw new Error(`HTTP ${res.status}`);
        }
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          buffer = (buffer + value).replace(/\r\n/g, '\n');
          let end;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            this.frame(buffer.slice(0, end));
            buffer = buffer.slice(end + 2);
            wait = 500;
          }
        }
      } catch (e) {
        if (this.stopped) {
          return;
        }
      }
      this.onStatus('reconnecting');
      await new Promise(r => setTimeout(r, wait));
      wait = Math.min(wait * 2, 10000);
    }
  }

  frame(text) {
    let id = null;
    let type = 'message';
    const data = [];
    for (const line of text.split('\n')) {
      if (line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') {
        id = value;
      } else if (field === 'event') {
        type = value;
      } else if (field === 'data') {
        data.push(value);
      }
    }
    if (id !== null) {
      this.lastId = id;
      this.onStatus('live');
    }
    if (type === 'resume' || data.length === 0) {
      return; // the server closes after a resume hint; run() reconnects from lastId
    }
    const event = JSON.parse(data.join('\n'));
    event.id = id;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        console.error('stream listener failed', e);
      }
    }
  }
}
