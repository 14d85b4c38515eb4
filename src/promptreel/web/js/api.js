// The protocol client: attribution headers, anonymous token, envelopes, errors by code.

const VERSION = document.querySelector('meta[name="promptreel-version"]')?.content || "0";
const KEY = { client: "promptreel.clientId", token: "promptreel.token", session: "promptreel.session" };

export const ATTRIBUTION = {
  "X-Skill-Source": "promptreel-studio",
  "X-Skill-Version": VERSION.startsWith("{{") ? "0" : VERSION,
  "X-Skill-Platform": "web",
};

/** An error answered by the server (code from the envelope) or by the network (code 0). */
export class ApiError extends Error {
  constructor(code, message, { status = 0, data = null, retryAfter = 0 } = {}) {
    super(message);
    this.code = code;
    this.status = status;
    this.data = data;
    this.retryAfter = retryAfter;
  }
}

function store() {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}
const mem = new Map();
function getItem(k) {
  const s = store();
  return s ? s.getItem(k) : mem.get(k) ?? null;
}
function setItem(k, v) {
  const s = store();
  if (v === null) (s ? s.removeItem(k) : mem.delete(k));
  else (s ? s.setItem(k, v) : mem.set(k, v));
}

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function clientId() {
  let id = getItem(KEY.client);
  if (!id) {
    id = uuid();
    setItem(KEY.client, id);
  }
  return id;
}

function savedToken() {
  try {
    const v = JSON.parse(getItem(KEY.token) || "null");
    if (!v || !v.token) return null;
    if (v.expires_at && Date.parse(v.expires_at) < Date.now() + 60_000) return null;
    return v.token;
  } catch {
    return null;
  }
}

export function savedSession() {
  try {
    return JSON.parse(getItem(KEY.session) || "null");
  } catch {
    return null;
  }
}

export function saveSession(s) {
  setItem(KEY.session, s ? JSON.stringify(s) : null);
}

async function envelope(res) {
  let body = null;
  const type = res.headers.get("content-type") || "";
  if (type.includes("json")) {
    try {
      body = await res.json();
    } catch {
      body = null;
    }
  }
  if (body && typeof body === "object" && "code" in body) {
    if (body.code === 0 && res.ok) return body.data;
    throw new ApiError(body.code, body.message || res.statusText, {
      status: res.status,
      data: body.data,
      retryAfter: Number(res.headers.get("Retry-After") || 0),
    });
  }
  if (res.ok) return body;
  throw new ApiError(res.status, res.statusText || `HTTP ${res.status}`, { status: res.status });
}

let tokenPromise = null;

/** Whether a 429 from the token endpoint says this client id already holds a live token. */
async function holdsLiveToken(res) {
  try {
    const body = await res.clone().json();
    return !!(body && body.data && body.data.expires_at);
  } catch {
    return false;
  }
}

/** Get an anonymous token for this browser's client id (kept in localStorage, never in a URL). */
export async function ensureToken({ fresh = false } = {}) {
  if (!fresh) {
    const tok = savedToken();
    if (tok) return tok;
  }
  if (!tokenPromise) {
    tokenPromise = (async () => {
      const ask = () =>
        fetch("/api/auth/anonymous-token", {
          method: "POST",
          headers: { ...ATTRIBUTION, "X-Client-Id": clientId(), Accept: "application/json" },
        });
      let res = await ask();
      if (res.status === 429 && (await holdsLiveToken(res))) {
        // The server issued this client id a token this browser never stored (the page closed
        // while it was on its way) and issues one per id per 7 days: start over with a new id.
        setItem(KEY.client, null);
        res = await ask();
      }
      const wait = Number(res.headers.get("Retry-After") || 0);
      if (res.status === 429 && wait > 0 && wait <= 60) {
        // Rate limited: retry once after the delay the server names.
        await new Promise((r) => setTimeout(r, wait * 1000));
        res = await ask();
      }
      const data = await envelope(res);
      setItem(KEY.token, JSON.stringify({ token: data.token, expires_at: data.expires_at || null }));
      return data.token;
    })().finally(() => {
      tokenPromise = null;
    });
  }
  return tokenPromise;
}

export function forgetToken() {
  setItem(KEY.token, null);
}

export async function authHeaders() {
  return { ...ATTRIBUTION, Authorization: `Bearer ${await ensureToken()}` };
}

/** fetch with attribution + bearer; a 1001 gets one new token and one retry. */
export async function raw(path, init = {}, { auth = true, retried = false } = {}) {
  const headers = { ...ATTRIBUTION, Accept: "application/json", ...(init.headers || {}) };
  if (auth) headers.Authorization = `Bearer ${await ensureToken()}`;
  let res;
  try {
    res = await fetch(path, { ...init, headers });
  } catch (e) {
    throw new ApiError(0, String(e && e.message ? e.message : e));
  }
  if (auth && res.status === 401 && !retried) {
    forgetToken();
    await ensureToken({ fresh: true });
    return raw(path, init, { auth, retried: true });
  }
  return res;
}

export async function call(method, path, body, opts = {}) {
  const init = { method };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { "Content-Type": "application/json" };
  }
  return envelope(await raw(path, init, opts));
}

export const api = {
  balance: () => call("GET", "/api/credits/balance/simple"),
  costs: () => call("GET", "/api/credits/costs"),
  me: () => call("GET", "/api/auth/me"),
  createSession: (taskName, language) =>
    call("POST", "/api/tasks/me/with-session/nemo_agent", { task_name: taskName, language }),
  state: (sessionId) => call("GET", `/api/state/nemo_agent/me/${encodeURIComponent(sessionId)}/latest`),
  startRender: (body) => call("POST", "/api/render/proxy/lambda", body),
  renderStatus: (id) => call("GET", `/api/render/proxy/lambda/${encodeURIComponent(id)}`),
  claimToken: (taskId, sessionId) => call("POST", "/api/auth/claim-token", { task_id: taskId, session_id: sessionId }),
};

let lastId = 0;
/** A fresh render id in the protocol's `render_<ts>` shape, unique within this page. */
export function renderId() {
  lastId = Math.max(Date.now(), lastId + 1);
  return `render_${lastId}`;
}

/**
 * Upload files with XHR (for upload progress). Resolves with the envelope's data,
 * rejects with ApiError (4001 wrong type, 4002 too large, …).
 */
export async function upload(sessionId, file, onProgress) {
  const headers = await authHeaders();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/upload-video/nemo_agent/me/${encodeURIComponent(sessionId)}`);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onerror = () => reject(new ApiError(0, "network error"));
    xhr.onload = () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (body && body.code === 0 && xhr.status < 300) resolve(body.data);
      else if (body && "code" in body) reject(new ApiError(body.code, body.message, { status: xhr.status, data: body.data }));
      else if (xhr.status === 413) reject(new ApiError(4002, "file too large", { status: 413 }));
      else if (xhr.status === 415) reject(new ApiError(4001, "unsupported file", { status: 415 }));
      else reject(new ApiError(xhr.status, xhr.statusText || `HTTP ${xhr.status}`, { status: xhr.status }));
    };
    const form = new FormData();
    form.append("files", file, file.name);
    xhr.send(form);
  });
}

/**
 * One agent turn over POST /run_sse, read with fetch + ReadableStream.
 * Calls onEvent(event) for each JSON data event; resolves when the stream ends.
 */
export async function runTurn(sessionId, text, onEvent, { signal, lastEventId, onOpen } = {}) {
  const body = {
    app_name: "nemo_agent",
    user_id: "me",
    session_id: sessionId,
    new_message: { parts: [{ text }] },
  };
  const headers = { "Content-Type": "application/json", Accept: "text/event-stream" };
  if (lastEventId) headers["Last-Event-ID"] = lastEventId;
  const res = await raw("/run_sse", { method: "POST", body: JSON.stringify(body), headers, signal });
  const type = res.headers.get("content-type") || "";
  if (!res.ok || !type.includes("text/event-stream")) {
    await envelope(res);
    throw new ApiError(res.status, res.statusText, { status: res.status });
  }
  if (onOpen) onOpen(); // the server took the message: its turn's stream follows
  let last = lastEventId || null;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  let ended = false;
  const dispatch = (block) => {
    let id = null;
    const data = [];
    for (const line of block.split("\n")) {
      if (!line || line.startsWith(":")) continue;
      const i = line.indexOf(":");
      const field = i < 0 ? line : line.slice(0, i);
      let value = i < 0 ? "" : line.slice(i + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "id") id = value;
      else if (field === "data") data.push(value);
    }
    if (id) last = id;
    const payload = data.join("\n").trim();
    if (!payload) {
      onEvent({ heartbeat: true });
      return;
    }
    let ev;
    try {
      ev = JSON.parse(payload);
    } catch {
      return;
    }
    onEvent(ev);
    if (ev && ev.turn_complete) ended = true;
  };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += value.replace(/\r\n?/g, "\n");
    let cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      if (block.trim() === "" || block.split("\n").every((l) => l.startsWith(":"))) {
        onEvent({ heartbeat: true });
        continue;
      }
      dispatch(block);
    }
  }
  if (buf.trim()) dispatch(buf);
  return { lastEventId: last, complete: ended };
}
