// The conversation: bubbles for the person and the agent, streamed text, hidden tool traffic.

import { t } from "./i18n.js";
import { el, clear } from "./dom.js";

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
  constructor(list) {
    this.list = list;
    this.streaming = null;
  }

  /** A new project (or none): an empty conversation. The server keeps every conversation. */
  useSession() {
    clear(this.list);
    this.streaming = null;
  }

  /** Show the conversation the server keeps (the same in every browser and in the chat CLI). */
  render(messages, { skipTurn = null } = {}) {
    clear(this.list);
    this.streaming = null;
    for (const m of messages || []) {
      if (m.role === "agent" && skipTurn && m.turn_id === skipTurn) continue;
      if (m.role === "user") this.add("user", m.text);
      else if (m.status === "failed") this.add("agent", m.text ? t("turnFailed", { reason: m.text }) : t("turnFailed", { reason: "" }), { kind: "failed" });
      else if (m.status === "running") this.add("agent", m.text || t("turnRunningNote"), { kind: "running" });
      else this.add("agent", m.text);
    }
  }

  bubble(who, text, kind = "") {
    const li = el("li", { class: `msg ${who}${kind ? ` ${kind}` : ""}` },
      el("span", { class: "who" }, who === "user" ? t("you") : who === "tool" ? t("tool") : t("agent")),
      el("p", { class: "text" }, text));
    this.list.append(li);
    this.list.scrollTop = this.list.scrollHeight;
    return li;
  }

  add(who, text, { kind = "" } = {}) {
    return this.bubble(who, text, kind);
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
  final(text, kind = "") {
    const s = this.streaming;
    if (s && (text === "" || text.startsWith(s.text) || s.text.startsWith(text) || text === s.text)) {
      const full = text.length >= s.text.length ? text : s.text;
      s.li.querySelector(".text").textContent = full;
      s.li.classList.remove("streaming");
      if (kind) s.li.classList.add(kind);
      this.streaming = null;
      return;
    }
    this.flush();
    if (text) this.add("agent", text, { kind });
  }

  /** End of turn: keep whatever was streamed. */
  flush() {
    const s = this.streaming;
    if (!s) return;
    s.li.classList.remove("streaming");
    if (!s.text) s.li.remove();
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
