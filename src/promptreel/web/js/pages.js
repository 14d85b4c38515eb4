// The other views of the same page: the read-only shared project and the register / sign-in forms.

import { t } from "./i18n.js";
import { $ } from "./dom.js";
import { ApiError, call } from "./api.js";
import { state, parseDraft } from "./state.js";
import { notice } from "./notices.js";
import { refreshCredits } from "./credits.js";
import { setDraft } from "./draft.js";
import { showPreview } from "./player.js";

export async function claimPage() {
  state.readOnly = true;
  document.body.classList.add("readonly");
  $("#readonly-badge").hidden = false;
  $("#composer").hidden = true;
  $("#new-project").hidden = true;
  $("#projects-btn").hidden = true;
  $("#settings-link").hidden = true;
  $("#credits").hidden = true;
  $("#show-tools").closest("label").hidden = true;
  $("#export-btn").hidden = true;
  // nothing to export, share again or undo here: no format menu, Share, Undo or Redo either
  for (const id of ["#format-pick", "#share-btn", ".history-btns"]) $(id).hidden = true;
  $("#examples").hidden = true;
  setDraft(null);
  const ct = new URLSearchParams(location.search).get("ct") || "";
  // Take the claim token out of the address bar (and any later Referer) once it has been read.
  history.replaceState(null, "", "/workspace/claim");
  const loading = notice("claim", "info", t("claimLoading"));
  try {
    if (!ct) throw new ApiError(1001, "missing claim token");
    const data = await call("GET", `/api/claim/${encodeURIComponent(ct)}`, undefined, { auth: false });
    loading.remove();
    const st = (data && data.state) || {};
    setDraft(parseDraft(st.draft), data.summary || "");
    if (data.task_name) $("#project-title").textContent = (st.draft && st.draft.m && st.draft.m.title) || data.task_name;
    // The newest finished render of this project plays in the read-only view (signed link, no token).
    const done = (st.generated_media || []).filter((r) => r && r.status === "completed" && r.output && r.output.url);
    const best = done.filter((r) => r.quality !== "preview").pop() || done.pop();
    // shown at a frame inside the first scene (frame 0 is often a blank fade-in), played from the start
    if (best) showPreview(best.output.url);
    notice("claim-hint", "info", t("claimHint"), { href: "/", text: t("openStudio") });
  } catch (e) {
    loading.remove();
    notice("claim", "error", t("claimInvalid"), { href: "/", text: t("openStudio") });
  }
  document.body.dataset.ready = "1";
}

export async function authPage(kind) {
  $("#studio").hidden = true;
  $("#auth-page").hidden = false;
  for (const id of ["#new-project", "#projects-btn", "#settings-link", "#export-btn", "#project-title", "#share-btn", "#format-pick"]) {
    $(id).hidden = true;
  }
  document.title = `${t(`${kind}Title`)} · promptreel`;
  const bind = new URLSearchParams(location.search).get("bind") || "";
  $("#auth-heading").textContent = t(`${kind}Title`);
  $("#auth-intro").textContent = t(`${kind}Intro`);
  $("#auth-submit").textContent = t(`${kind}Submit`);
  $("#auth-username").setAttribute("autocomplete", "username");
  $("#auth-password").setAttribute("autocomplete", kind === "register" ? "new-password" : "current-password");
  if (kind === "register") {
    // the server's rule (and the API schema's): 3-64 letters, digits, '.', '-' or '_'
    $("#auth-username").setAttribute("pattern", "[A-Za-z0-9._\\-]{3,64}");
    $("#auth-username").setAttribute("title", t("usernameRule"));
  }
  refreshCredits();
  $("#auth-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const err = $("#auth-error");
    err.textContent = "";
    const body = { username: $("#auth-username").value.trim(), password: $("#auth-password").value };
    if (kind === "register" && bind) body.bind_id = bind;
    try {
      const data = await call("POST", kind === "register" ? "/api/auth/register" : "/api/auth/login", body,
        { auth: kind === "register" });
      if (data && data.token) localStorage.setItem("promptreel.token", JSON.stringify({ token: data.token, expires_at: data.expires_at || null }));
      err.textContent = t(`${kind}Done`);
      setTimeout(() => location.assign("/"), 800);
    } catch (ex) {
      err.textContent = ex instanceof ApiError && (ex.status === 404 || ex.status === 405) ? t("authUnavailable") : ex.message;
    }
  });
  document.body.dataset.ready = "1";
}
