// Settings page: who is signed in, API tokens (create with scopes and expiry, list, revoke) and the
// credits history. Signed-in browsers are authenticated by the HttpOnly session cookie (the page never
// sees that token); without it, the studio's stored trial token shows the trial's credits history.

import { lang } from "./i18n.js";
import { w, applyWords } from "./accountwords.js";

const VERSION = document.querySelector('meta[name="promptreel-version"]')?.content || "0";
const HEADERS = {
  Accept: "application/json",
  "X-Skill-Source": "promptreel-studio",
  "X-Skill-Version": VERSION.startsWith("{{") ? "0" : VERSION,
  "X-Skill-Platform": "web",
};
const $ = (sel) => document.querySelector(sel);
let bearer = null; // only for an anonymous trial (no cookie session)

class ApiError extends Error {
  constructor(code, message, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

async function call(method, path, body) {
  const headers = { ...HEADERS };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const init = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const res = await fetch(path, init);
  let env = null;
  try {
    env = await res.json();
  } catch {
    env = null;
  }
  if (env && env.code === 0 && res.ok) return env.data;
  throw new ApiError(env ? env.code : res.status, (env && env.message) || res.statusText, res.status);
}

function storedToken() {
  try {
    const v = JSON.parse(localStorage.getItem("promptreel.token") || "null");
    return v && v.token ? v.token : null;
  } catch {
    return null;
  }
}

function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function when(iso) {
  if (!iso) return w("never");
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(lang === "zh" ? "zh-CN" : "en");
}

function signed(n) {
  return n ? (n > 0 ? `+${n}` : String(n)) : "";
}

const KINDS = new Set(["grant", "transfer", "reserve", "commit", "release", "expire"]);

async function loadTokens() {
  const rows = $("#token-rows");
  const tokens = await call("GET", "/api/tokens");
  rows.replaceChildren();
  for (const t of tokens) {
    const tr = document.createElement("tr");
    if (t.revoked) tr.className = "revoked";
    tr.append(
      cell(t.name || t.kind),
      cell(`…${t.hint}`),
      cell(t.scopes.join(" ")),
      cell(when(t.created_at)),
      cell(when(t.expires_at)),
      cell(w(t.revoked ? "revoked" : "active")),
    );
    const td = document.createElement("td");
    if (!t.revoked) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "btn ghost";
      b.textContent = w("revoke");
      b.setAttribute("aria-label", w("revokeLabel", { name: t.name || t.hint }));
      b.addEventListener("click", async () => {
        if (!confirm(w("revokeConfirm", { name: t.name || t.hint }))) return;
        try {
          await call("DELETE", `/api/tokens/${encodeURIComponent(t.id)}`);
        } catch (e) {
          $("#token-error").textContent = e.message;
        }
        await loadTokens();
      });
      td.append(b);
    }
    tr.append(td);
    rows.append(tr);
  }
}

async function loadHistory() {
  const [entries, bal] = await Promise.all([
    call("GET", "/api/credits/history"),
    call("GET", "/api/credits/balance/simple"),
  ]);
  $("#balance").textContent = w("balance", bal);
  const rows = $("#history-rows");
  rows.replaceChildren();
  for (const e of entries) {
    const tr = document.createElement("tr");
    tr.append(
      cell(when(e.created_at)),
      cell(KINDS.has(e.kind) ? w(e.kind) : e.kind),
      cell(signed(e.available_delta), "num"),
      cell(signed(e.frozen_delta), "num"),
      cell(e.reason || ""),
    );
    rows.append(tr);
  }
  if (!entries.length) {
    const tr = document.createElement("tr");
    const td = cell(w("noHistory"));
    td.colSpan = 5;
    tr.append(td);
    rows.append(tr);
  }
  $("#history").hidden = false;
}

function wireTokenForm() {
  $("#token-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const err = $("#token-error");
    err.textContent = "";
    const scopes = [...document.querySelectorAll('input[name="scope"]:checked')].map((x) => x.value);
    if (!scopes.length) {
      err.textContent = w("chooseScope");
      return;
    }
    const expiry = $("#token-expiry").value;
    const body = { name: $("#token-name").value.trim() || "api", scopes };
    if (expiry) body.expires_in = Number(expiry);
    try {
      const made = await call("POST", "/api/tokens", body);
      $("#new-token-value").value = made.token;
      $("#new-token").hidden = false;
      $("#new-token-value").focus();
      $("#new-token-value").select();
      $("#token-form").reset();
      await loadTokens();
    } catch (e) {
      err.textContent = e.message;
    }
  });
  $("#new-token-copy").addEventListener("click", async () => {
    const v = $("#new-token-value");
    try {
      await navigator.clipboard.writeText(v.value);
    } catch {
      v.select();
      document.execCommand("copy");
    }
    $("#new-token-copy").textContent = w("copied");
  });
}

async function main() {
  applyWords();
  let me = null;
  try {
    me = await call("GET", "/api/auth/me");
  } catch (e) {
    if (e.code !== 1001) throw e;
    bearer = storedToken();
    if (bearer) {
      try {
        me = await call("GET", "/api/auth/me");
      } catch {
        bearer = null;
        me = null;
      }
    }
  }
  if (me && me.kind === "registered") {
    $("#who").textContent = w("signedInAs", { name: me.username });
    $("#signout").hidden = false;
    $("#tokens").hidden = false;
    wireTokenForm();
    await loadTokens();
  } else {
    $("#signed-out").hidden = false;
    if (me && me.register_url) {
      $("#register-link").href = `/register?bind=${encodeURIComponent(me.bind_id)}`;
      $("#register-hint").hidden = false;
    }
  }
  if (me) await loadHistory();
  $("#signout").addEventListener("click", async () => {
    try {
      await call("POST", "/api/auth/logout");
    } finally {
      // The account's token and project leave this browser; the next visit starts a fresh trial.
      for (const k of ["promptreel.token", "promptreel.session", "promptreel.clientId"]) localStorage.removeItem(k);
      location.assign("/signin");
    }
  });
  document.body.dataset.ready = "1";
}

main().catch((e) => {
  const p = $("#signed-out");
  p.hidden = false;
  p.textContent = w("couldNotLoad", { msg: e.message });
  document.body.dataset.ready = "1";
});
