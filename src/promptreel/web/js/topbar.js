// The top bar on a phone: the export format shows as a short word ("MP4", "Premiere", "剪映") over
// the real menu, which keeps its full names, its label and the keyboard.

import { $ } from "./dom.js";

/** The short word for a format's full name: its own ``data-short``, else the name up to " / " or
 * " (", without a trailing "video" / "视频". */
export function shortName(option) {
  if (!option) return "";
  if (option.dataset.short) return option.dataset.short;
  const full = option.textContent.trim();
  const head = full.split(/\s*[/(（]\s*/)[0].replace(/\s*(video|视频)$/i, "").trim();
  return head || full;
}

export function wireFormatPick() {
  const menu = $("#export-format");
  const word = $("#format-short");
  if (!menu || !word) return;
  const show = () => {
    word.textContent = shortName(menu.selectedOptions[0]);
  };
  menu.addEventListener("change", show);
  show();
}
