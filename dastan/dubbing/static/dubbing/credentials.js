// The content-credentials panel (the player and the review desks): when it is open, each
// signed track is checked now against its manifest (GET /api/v1/credentials/<sha256>/
// verification) and the answer shown beside what the manifest says.
// window.dastanCredentials records each answer for the browser tests.
(() => {
  "use strict";
  const answers = window.dastanCredentials = { done: 0, results: [] };
  const show = (item, panel, data, ok) => {
    const out = item.querySelector(".credential-state");
    item.dataset.state = ok ? "verified" : "failed";
    out.textContent = ok
      ? panel.dataset.verified.replace("{signer}", data.signer || "?") + " (" + data.state + ")"
      : panel.dataset.failed + " " + ((data.failures && data.failures.length ? data.failures : [data.message]).join("; "));
    answers.results.push({ url: item.dataset.verifyUrl, ok, state: data.state || "" });
    answers.done += 1;
  };
  const check = async (panel) => {
    if (!panel.open || panel.dataset.checked) return;
    panel.dataset.checked = "1";
    for (const item of panel.querySelectorAll(".credential[data-verify-url]")) {
      item.querySelector(".credential-state").textContent = panel.dataset.checking;
      try {
        const response = await fetch(item.dataset.verifyUrl, {
          credentials: "same-origin", headers: { Accept: "application/json" } });
        const data = await response.json();
        show(item, panel, data, response.ok && data.verifies === true);
      } catch (e) {
        show(item, panel, { message: String(e) }, false);
      }
    }
  };
  document.querySelectorAll(".ai-credentials").forEach((panel) => {
    panel.addEventListener("toggle", () => check(panel));
    check(panel);
  });
})();
