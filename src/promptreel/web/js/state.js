// The studio's shared state: the project being edited, the player element and the conversation.

import { $ } from "./dom.js";
import { Chat } from "./chat.js";

export const POLL_MS = 700;

export const state = {
  session: null, // {session_id, task_id, bind_id}
  draft: null,
  readOnly: false,
  busy: false,
  exporting: false,
  previewGen: 0,
  previewFor: null, // JSON of the draft the current preview shows
  costs: null, // {generate, edit, export, unlimited, signup_credits}
  balance: null, // {available, frozen, total}
  canUndo: false,
  canRedo: false,
};

export const video = $("#video");
export const chat = new Chat($("#messages"));

export function parseDraft(d) {
  if (!d) return null;
  if (typeof d === "string") {
    try {
      return JSON.parse(d);
    } catch {
      return null;
    }
  }
  return d;
}

export function hasSegments(draft) {
  return !!draft && (draft.t || []).some((tr) => (tr.sg || []).length > 0);
}
