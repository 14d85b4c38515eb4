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

const NEAR_END_PX = 40; // this close to the end of the conversation still counts as reading the newest

export class Chat {
  constructor(list) {
    this.list = list;
    this.streaming = null;
    this.quiet = false; // while the whole conversation is drawn again: no scrolling of the page
    // Whether the person is at the newest message: new messages then scroll into view. Only their
    // own scrolling changes it, so a reply never pulls them away from what they scrolled up to read.
    this.stuck = true;
    const look = () => {
      this.stuck = this.atNewest();
    };
    // the list kept at its end by the studio (the page elsewhere) is not the person scrolling to it
    this.autoScrolled = false;
    list.addEventListener("scroll", () => {
      if (this.autoScrolled) this.autoScrolled = false;
      else look();
    }, { passive: true });
    window.addEventListener("scroll", look, { passive: true });
  }

  /** The last message that is shown (tool traffic is hidden unless asked for). */
  newest() {
    for (let li = this.list.lastElementChild; li; li = li.previousElementSibling) {
      if (li.getClientRects().length) return li;
    }
    return null;
  }

  /** Is the newest message on screen: the list scrolled to its end, and (on a phone, where the
   * page scrolls) the message inside the window? */
  atNewest() {
    const li = this.newest();
    if (!li) return true;
    const list = this.list;
    if (list.scrollHeight - list.scrollTop - list.clientHeight > NEAR_END_PX) return false;
    const r = li.getBoundingClientRect();
    return r.top < window.innerHeight && r.bottom > 0;
  }

  /** Bring ``li`` (the newest message) into view: the list to its end and, where the page scrolls,
   * the window so the message shows, with the box below it when both fit. */
  reveal(li = this.newest()) {
    const list = this.list;
    list.scrollTop = list.scrollHeight;
    if (!li || this.quiet) return;
    const vh = window.innerHeight;
    const margin = 8;
    const r = li.getBoundingClientRect();
    if (r.top >= 0 && r.bottom <= vh) {
      this.stuck = true;
      return;
    }
    let dy;
    if (r.top < 0) dy = r.top - margin;
    else {
      const form = list.parentElement && list.parentElement.querySelector(".composer");
      const f = form ? form.getBoundingClientRect() : null;
      dy = f && f.bottom - r.top + 2 * margin <= vh ? f.bottom - vh + margin : r.bottom - vh + margin;
      dy = Math.min(dy, r.top - margin); // a message taller than the screen: from its start
    }
    if (dy) window.scrollBy({ top: dy, behavior: "instant" });
    this.stuck = true;
  }

  /** The layout above the conversation changed (a taller preview): keep the newest message in view. */
  keepNewestInView() {
    if (this.stuck && !this.quiet) this.reveal();
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
    this.quiet = true;
    for (const m of messages || []) {
      if (m.role === "agent" && skipTurn && m.turn_id === skipTurn) continue;
      if (m.role === "user") this.add("user", m.text);
      else if (m.status === "failed") this.add("agent", m.text ? t("turnFailed", { reason: m.text }) : t("turnFailed", { reason: "" }), { kind: "failed" });
      else if (m.status === "running") this.add("agent", m.text || t("turnRunningNote"), { kind: "running" });
      else this.add("agent", m.text);
    }
    this.quiet = false;
    this.list.scrollTop = this.list.scrollHeight;
    this.stuck = this.atNewest();
  }

  /** A new bubble; ``force`` (the person's own message) brings it into view wherever they were. */
  bubble(who, text, kind = "", force = false) {
    const follow = force || this.stuck;
    const atEnd = this.listAtEnd();
    const li = el("li", { class: `msg ${who}${kind ? ` ${kind}` : ""}` },
      el("span", { class: "who" }, who === "user" ? t("you") : who === "tool" ? t("tool") : t("agent")),
      el("p", { class: "text" }, text));
    this.list.append(li);
    if (this.quiet) this.list.scrollTop = this.list.scrollHeight;
    else if (follow) this.reveal(li.getClientRects().length ? li : this.newest());
    else if (atEnd) this.keepEnd();
    return li;
  }

  /** The list to its end, the page left where it is (and the person not taken to be reading there). */
  keepEnd() {
    const before = this.list.scrollTop;
    this.list.scrollTop = this.list.scrollHeight;
    if (this.list.scrollTop !== before) this.autoScrolled = true;
  }

  /** Whether the list itself is scrolled to its end (whatever the page shows of it). */
  listAtEnd() {
    const list = this.list;
    return list.scrollHeight - list.scrollTop - list.clientHeight <= NEAR_END_PX;
  }

  add(who, text, { kind = "", force = false } = {}) {
    return this.bubble(who, text, kind, force);
  }

  /** The person's message did not reach the server: the bubble says so (the text is back in the box). */
  unsent(li) {
    if (!li || !li.isConnected) return;
    li.classList.add("unsent");
    if (!li.querySelector(".unsent-note")) li.append(el("span", { class: "unsent-note" }, t("notSentBubble")));
  }

  /** The message reached the server after all: the bubble is an ordinary one again. */
  sentAfterAll(li) {
    if (!li) return;
    li.classList.remove("unsent");
    for (const n of li.querySelectorAll(".unsent-note")) n.remove();
  }

  /** A streamed chunk (partial event): grows the current agent bubble. */
  stream(chunk) {
    if (!this.streaming) {
      this.streaming = { li: this.bubble("agent", ""), text: "" };
      this.streaming.li.classList.add("streaming");
    }
    const follow = this.stuck;
    const atEnd = this.listAtEnd();
    this.streaming.text += chunk;
    this.streaming.li.querySelector(".text").textContent = this.streaming.text;
    if (follow) this.reveal(this.streaming.li);
    else if (atEnd) this.keepEnd();
  }

  /** A complete text (non-partial event): closes the streamed bubble, or adds a new one. */
  final(text, kind = "") {
    const s = this.streaming;
    if (s && (text === "" || text.startsWith(s.text) || s.text.startsWith(text) || text === s.text)) {
      const full = text.length >= s.text.length ? text : s.text;
      const follow = this.stuck;
      const atEnd = this.listAtEnd();
      s.li.querySelector(".text").textContent = full;
      if (follow) this.reveal(s.li);
      else if (atEnd) this.keepEnd();
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
    const follow = this.stuck;
    this.list.append(li);
    if (follow) this.list.scrollTop = this.list.scrollHeight;
  }
}
