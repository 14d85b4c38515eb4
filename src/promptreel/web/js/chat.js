// The conversation: bubbles for the person and the agent, streamed text, hidden tool traffic.

import { t } from "./i18n.js";
import { el, clear } from "./dom.js";

const HISTORY_MAX = 100;

function prettyName(name) {
  return String(name || "").replace(/[_-]+/g, " ").trim();
}

/** The "working…" line for a tool name: raw cut, post-production, an edit, or the tool itself. */
export function stageFor(name) {
  const n = String(name || "").toLowerCase();
  if (/post|music|bgm|caption|subtitle|title|polish|finish/.test(n)) return t("stagePost");
  if (/raw|storyboard|scene|plan|generat|narrat|visual|script|create/.test(n)) return t("stageRaw");
  if (/edit|update|change|set|move|trim|delete|remove|replace|add|apply/.test(n)) return t("stageEdit");
  return t("stageTool", { name: prettyName(n) });
}

export class Chat {
  constructor(list, { key = null } = {}) {
    this.list = list;
    this.key = key;
    this.history = [];
    this.streaming = null;
  }

  useSession(sessionId) {
    this.key = sessionId ? `promptreel.chat.${sessionId}` : null;
    clear(this.list);
    this.history = [];
    this.streaming = null;
    if (!this.key) return;
    try {
      const saved = JSON.parse(localStorage.getItem(this.key) || "[]");
      for (const m of saved) this.add(m.who, m.text, { persist: false });
    } catch {
      /* ignore unreadable history */
    }
  }

  persist() {
    if (!this.key) return;
    try {
      localStorage.setItem(this.key, JSON.stringify(this.history.slice(-HISTORY_MAX)));
    } catch {
      /* storage full or unavailable: history is a convenience only */
    }
  }

  bubble(who, text) {
    const li = el("li", { class: `msg ${who}` },
      el("span", { class: "who" }, who === "user" ? t("you") : who === "tool" ? t("tool") : t("agent")),
      el("p", { class: "text" }, text));
    this.list.append(li);
    this.list.scrollTop = this.list.scrollHeight;
    return li;
  }

  add(who, text, { persist = true } = {}) {
    const li = this.bubble(who, text);
    if (persist && who !== "tool") {
      this.history.push({ who, text });
      this.persist();
    }
    return li;
  }

  /** A streamed chunk (partial event): grows the current agent bubble. */
  stream(chunk) {
    if (!this.streaming) {
      this.streaming = { li: this.bubble("agent", ""), text: "" };
      this.streaming.li.classList.add("streaming");
    }
    this.streaming.text += chunk;
    this.streaming.li.querySelector(".text").textContent = this.streaming.text;
    this.list.scrollTop = this.list.scrollHeight;
  }

  /** A complete text (non-partial event): closes the streamed bubble, or adds a new one. */
  final(text) {
    const s = this.streaming;
    if (s && (text === "" || text.startsWith(s.text) || s.text.startsWith(text) || text === s.text)) {
      const full = text.length >= s.text.length ? text : s.text;
      s.li.querySelector(".text").textContent = full;
      s.li.classList.remove("streaming");
      this.history.push({ who: "agent", text: full });
      this.persist();
      this.streaming = null;
      return;
    }
    this.flush();
    if (text) this.add("agent", text);
  }

  /** End of turn: keep whatever was streamed. */
  flush() {
    const s = this.streaming;
    if (!s) return;
    s.li.classList.remove("streaming");
    if (s.text) {
      this.history.push({ who: "agent", text: s.text });
      this.persist();
    } else s.li.remove();
    this.streaming = null;
  }

  tool(kind, name, payload) {
    let body = "";
    try {
      body = JSON.stringify(payload);
    } catch {
      body = String(payload);
    }
    if (body.length > 600) body = `${body.slice(0, 599)}…`;
    const li = el("li", { class: "msg tool" },
      el("span", { class: "who" }, `${kind === "call" ? "→" : "←"} ${prettyName(name)}`),
      el("code", { class: "text" }, body));
    this.list.append(li);
    this.list.scrollTop = this.list.scrollHeight;
  }
}
