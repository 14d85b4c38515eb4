// Reconnecting: once the server could not be reached, look for it again every few seconds; when it
// answers, the studio reloads the project from it (what a reload of the page would show).

import { api, ApiError } from "./api.js";

const LOOK_MS = 3000;
const listeners = [];
let looking = null;

/** Call ``fn`` each time the server answers again after it could not be reached. */
export function onReconnect(fn) {
  listeners.push(fn);
}

/** Start looking for the server (once, however many requests failed). */
export function watchConnection() {
  if (looking) return;
  looking = setInterval(async () => {
    try {
      await api.costs();
    } catch (e) {
      if (!(e instanceof ApiError) || e.code === 0) return; // still unreachable
    }
    clearInterval(looking);
    looking = null;
    for (const fn of listeners) fn();
  }, LOOK_MS);
}
