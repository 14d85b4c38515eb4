// Credits: the balance in the top bar and the warning before an action it cannot pay for.

import { t } from "./i18n.js";
import { $ } from "./dom.js";
import { api, ApiError } from "./api.js";
import { state, hasSegments } from "./state.js";
import { notice, dismiss, registerLink } from "./notices.js";

export async function refreshCredits() {
  if (state.readOnly) return;
  try {
    if (!state.costs) state.costs = await api.costs().catch(() => null);
    const b = await api.balance();
    state.balance = b;
    const unlimited = !!(state.costs && state.costs.unlimited);
    $("#credits-value").textContent = unlimited ? t("creditsUnlimited") : String(b.available);
    $("#credits").title = unlimited ? t("creditsUnlimitedTitle") : t("creditsTitle", { available: b.available, frozen: b.frozen });
    $("#credits").classList.toggle("low", !unlimited && b.available < nextCost());
    creditsNotice();
  } catch (e) {
    if (e instanceof ApiError && e.code === 0) $("#credits-value").textContent = "–";
  }
}

/** What the next ordinary message costs: a generation on an empty project, else an edit. */
export function nextCost() {
  const c = state.costs;
  if (!c || c.unlimited) return 0;
  return hasSegments(state.draft) ? c.edit : c.generate;
}

/** A notice shown *before* the person tries an action the balance cannot pay for. */
export function creditsNotice() {
  const b = state.balance;
  const c = state.costs;
  if (!b || !c || c.unlimited || state.readOnly || b.available >= nextCost()) {
    dismiss("low-credits");
    return;
  }
  const gen = !hasSegments(state.draft);
  const first = gen ? t("lowCreditsGenerate", { cost: c.generate, available: b.available })
    : t("lowCreditsEdit", { cost: c.edit, available: b.available });
  if (state.account && state.account.kind === "registered") {
    notice("low-credits", "warn", `${first} ${t("err2001User")}`);
  } else {
    const more = c.signup_credits ? t("lowCreditsAnon", { grant: c.signup_credits }) : t("lowCreditsAnonNoGrant");
    notice("low-credits", "warn", `${first} ${more}`, { href: registerLink(), text: t("register") });
  }
}
