// The message box: how long a message may be (a counter near the limit, a clear word over it) and
// a message that did not reach the server, put back in the box with a note that it was not sent.

import { t, lang } from "./i18n.js";
import { $ } from "./dom.js";

const box = $("#composer-input");
const note = $("#composer-note");
const count = $("#char-count");
const hint = $(".composer-row .hint");

/** The longest message the studio sends (the server takes longer ones, up to 20,000 characters). */
export const LIMIT = Number(box.dataset.limit) || 4000;
/** From here on the box counts the characters. */
export const COUNT_FROM = LIMIT - 500;

let unsentShown = false;
const fmt = (n) => n.toLocaleString(lang === "zh" ? "zh-CN" : "en-US");

/** Characters as the server counts them (code points), of the message that would be sent. */
export function length(text) {
  return [...String(text).trim()].length;
}

export function tooLong(text) {
  return length(text) > LIMIT;
}

/** Show the counter and the over-the-limit note for what is in the box now. */
export function updateCount() {
  const n = length(box.value);
  const over = n > LIMIT;
  count.hidden = n < COUNT_FROM;
  count.textContent = count.hidden ? "" : `${fmt(n)} / ${fmt(LIMIT)}`;
  count.classList.toggle("over", over);
  if (hint) hint.hidden = !count.hidden;
  if (over) box.setAttribute("aria-invalid", "true");
  else box.removeAttribute("aria-invalid");
  if (over) say(t("tooLong", { over: fmt(n - LIMIT), limit: fmt(LIMIT) }), "over");
  else if (unsentShown) say(t("notSent"), "unsent");
  else say("");
}

function say(text, kind = "") {
  note.textContent = text;
  note.hidden = !text;
  note.dataset.kind = kind;
}

/** The message could not be sent: back in the box (before anything typed since), with a note. */
export function putBack(text) {
  if (text) {
    const now = box.value.trim();
    if (!now) box.value = text;
    else if (now !== text.trim()) box.value = `${text}\n${box.value}`;
  }
  unsentShown = true;
  updateCount();
}

/** The server had the message after all: it leaves the box (whatever was typed since stays) and
 * the note goes. */
export function takeBack(text) {
  const t0 = text.trim();
  const now = box.value.trim();
  if (now === t0) box.value = "";
  else if (now.startsWith(`${t0}\n`)) box.value = now.slice(t0.length + 1);
  unsentShown = false;
  updateCount();
}

/** A new attempt: the note about an earlier one goes. */
export function clearUnsent() {
  unsentShown = false;
  updateCount();
}

/** The message was handed to the server: the box is free for the next one. */
export function sent(text) {
  if (box.value.trim() === text.trim()) box.value = "";
  updateCount();
}

box.addEventListener("input", updateCount);
