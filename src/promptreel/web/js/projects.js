// The projects dialog: the person's projects with poster, title and date; open, rename,
// duplicate, delete (after a confirmation).

import { t, lang } from "./i18n.js";
import { el, clear, $ } from "./dom.js";
import { call } from "./api.js";
import { still, stillPaths } from "./stills.js";

const base = (sid) => `/api/projects/me/${encodeURIComponent(sid)}`;

function when(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  return d.toLocaleString(lang === "zh" ? "zh-CN" : "en", { dateStyle: "medium", timeStyle: "short" });
}

/**
 * Show the dialog. `current` is the open project's session id; `onOpen(project)` opens one,
 * `onDeleted(sessionId)` hears that one is gone, `onRenamed(project)` that one has a new name.
 */
export async function showProjects({ current, onOpen, onDeleted, onRenamed }) {
  const dialog = $("#projects-dialog");
  const list = $("#projects-list");
  const status = $("#projects-status");
  if (!dialog.open) dialog.showModal();
  status.textContent = t("projectsLoading");
  let projects = [];
  try {
    projects = (await call("GET", "/api/projects/me")).projects || [];
  } catch (e) {
    status.textContent = t("projectFailed", { msg: e.message });
    return;
  }
  clear(list);
  status.textContent = projects.length ? "" : t("projectsEmpty");
  const again = () => showProjects({ current, onOpen, onDeleted, onRenamed });
  const act = async (fn) => {
    try {
      await fn();
    } catch (e) {
      status.textContent = t("projectFailed", { msg: e.message });
    }
  };
  for (const p of projects) {
    const name = p.title || p.task_name;
    const thumb = el("div", { class: "project-thumb", style: `--ar-w:${p.width || 16};--ar-h:${p.height || 9}` });
    if (p.ready) {
      still(stillPaths.poster(p.session_id, p.version, 320)).then((url) => {
        thumb.append(el("img", { src: url, alt: t("projectThumb", { name }) }));
      }).catch(() => {});
    } else {
      thumb.append(el("span", {}, t("projectNoVideo")));
    }
    const isCurrent = p.session_id === current;
    const facts = [t("projectChanged", { date: when(p.updated_at) })];
    if (p.duration_ms) facts.push(t("projectLength", { n: Math.round(p.duration_ms / 1000) }));
    const item = el("li", { class: `project${isCurrent ? " current" : ""}`, "data-session": p.session_id },
      thumb,
      el("div", { class: "project-info" },
        el("h3", { class: "project-name" }, name),
        p.title && p.title !== p.task_name ? el("p", { class: "project-sub" }, p.task_name) : null,
        el("p", { class: "project-facts" }, facts.join(" · "))),
      el("div", { class: "project-actions" },
        isCurrent
          ? el("span", { class: "project-current" }, t("projectCurrent"))
          : el("button", { type: "button", class: "btn small primary", "data-act": "open", onclick: () => {
            dialog.close();
            onOpen(p);
          } }, t("projectOpen")),
        el("button", { type: "button", class: "btn small ghost", "data-act": "rename", onclick: () => act(async () => {
          const to = window.prompt(t("projectRenamePrompt", { name: p.task_name }), p.task_name);
          if (to === null || !to.trim() || to.trim() === p.task_name) return;
          const renamed = await call("PATCH", base(p.session_id), { task_name: to.trim() });
          if (onRenamed) onRenamed(renamed);
          await again();
          // the list still leads with the video's own title: say that the name changed, and where
          if (p.title && p.title !== p.task_name && p.title !== to.trim()) {
            status.textContent = t("projectRenamed", { name: to.trim(), title: p.title });
          }
        }) }, t("projectRename")),
        el("button", { type: "button", class: "btn small ghost", "data-act": "duplicate", onclick: () => act(async () => {
          await call("POST", `${base(p.session_id)}/duplicate`, {});
          await again();
        }) }, t("projectDuplicate")),
        el("button", { type: "button", class: "btn small danger", "data-act": "delete", onclick: () => act(async () => {
          if (!window.confirm(t("projectDeleteConfirm", { name }))) return;
          await call("DELETE", base(p.session_id));
          if (onDeleted) onDeleted(p.session_id);
          await again();
          status.textContent = t("projectDeleted", { name });
        }) }, t("projectDelete"))));
    list.append(item);
  }
}

export function wireProjects(open) {
  const dialog = $("#projects-dialog");
  $("#projects-btn").addEventListener("click", open);
  $("#projects-close").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (e) => {
    if (e.target === dialog) dialog.close(); // a click on the backdrop
  });
}
