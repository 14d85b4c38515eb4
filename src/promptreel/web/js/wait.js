// A wait as people say it: "in 30 seconds", "in 5 minutes", "in 7 days" (or "7天后"), never
// "in 604640 s".

import { lang } from "./i18n.js";

const STEPS = [
  ["day", 86_400],
  ["hour", 3_600],
  ["minute", 60],
];

/** ``seconds`` from now, in the interface's language, in the largest unit that reads whole. */
export function inAWhile(seconds) {
  const s = Math.max(1, Math.round(Number(seconds) || 0));
  let unit = "second";
  let n = s;
  for (const [name, size] of STEPS) {
    if (s >= size * 1.5 || (name === "minute" && s >= 90)) {
      unit = name;
      n = Math.round(s / size);
      break;
    }
  }
  const words = new Intl.RelativeTimeFormat(lang === "zh" ? "zh-CN" : "en", { numeric: "always" });
  return words.format(n, unit);
}
