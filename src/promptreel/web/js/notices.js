// Notices above the studio, and the next step for each API error.

import { t } from "./i18n.js";
import { el, $ } from "./dom.js";
import { ApiError } from "./api.js";
import { state } from "./state.js";
import { refreshCredits } from "./credits.js";
import { watchConnection } from "./connection.js";
import { inAWhile } from "./wait.js";

const notices = $("#notices");
export function notice(id, kind, text, link = null) {
  dismiss(id);
  const box = el("div", { class: `notice ${kind}`, "data-notice": id, role: kind === "error" ? "alert" : "status" },
    el("p", {}, text),
    link ? el("a", { class: "btn small", href: link.href }, link.text) : null,
    el("button", { type: "button", class: "icon-btn", "aria-label": t("close"), onclick: () => box.remove() }, "×"));
  notices.append(box);
  return box;
}
export function dismiss(id) {
  for (const n of notices.querySelectorAll(`[data-notice="${id}"]`)) n.remove();
}

export function registerLink(data) {
  const bind = (data && data.bind_id) || (state.session && state.session.bind_id) || "";
  return `/register?bind=${encodeURIComponent(bind)}`;
}

/** Explain an API error with the step the protocol's table asks for. Returns true if handled. */
export function explain(err, ctx = {}) {
  if (!(err instanceof ApiError)) {
    notice("error", "error", t("errGeneric", { msg: String(err && err.message ? err.message : err) }));
    return;
  }
  const name = ctx.name || "";
  switch (err.code) {
    case 2001: {
      // The server names a registration link only for anonymous users; registered ones top up.
      const anon = !err.data || !!(err.data.register_url || err.data.bind_id);
      notice("credits", "error", `${t("err2001")} ${anon ? t("err2001Anon") : t("err2001User")}`,
        anon ? { href: registerLink(err.data), text: t("register") } : null);
      refreshCredits();
      break;
    }
    case 402:
      notice("export-blocked", "error", t("err402"), { href: registerLink(err.data), text: t("register") });
      break;
    case 4001:
      return t("err4001", { name });
    case 4002:
      return t("err4002", { name });
    case 4090:
      notice("busy", "info", t("errBusy"));
      break;
    case 429:
      // a wait said as people say it ("in 7 days", not "in 604640 s"); a long one offers signing in
      notice("rate", "error", t("err429", { when: inAWhile(err.retryAfter || 30) }),
        (err.retryAfter || 0) > 3600 ? { href: "/signin", text: t("signinTitle") } : null);
      break;
    case 0:
      notice("network", "error", t("errNetwork"));
      watchConnection();
      break;
    default:
      notice("error", "error", t("errGeneric", { msg: err.message }));
  }
  return null;
}
