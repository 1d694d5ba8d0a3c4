// The visible AI label a viewer's territory requires (e.g. China: at least the first 2 s
// of AI-voiced or AI-subtitled playback). Shown when playback starts with a machine-made
// track, and again when the viewer switches to one; hidden after data-label-s seconds of
// wall-clock time. window.dastanDisclosure records when it was shown and hidden.
(() => {
  "use strict";
  const label = document.querySelector(".ai-label");
  const video = document.getElementById("player");
  if (!label || !video) return;
  const seconds = Number(label.dataset.labelS) || 0;
  const aiAudio = (label.dataset.aiAudio || "").split(" ").filter(Boolean);
  const aiSubtitles = (label.dataset.aiSubtitles || "").split(" ").filter(Boolean);
  const state = window.dastanDisclosure = { shown: [], hidden: [], seconds };
  let timer = null, lastKey = "";

  // The player's engine (hls.js or the browser's own HLS) knows the track playing.
  const currentAudio = () => (window.dastanPlayer && window.dastanPlayer.audioLanguage ? window.dastanPlayer.audioLanguage() : "");
  const showingSubtitles = () => [...video.textTracks].filter((t) => t.mode === "showing").map((t) => t.language);
  const machineNow = () => aiAudio.includes(currentAudio()) || showingSubtitles().some((l) => aiSubtitles.includes(l));

  const show = () => {
    label.hidden = false;
    state.shown.push(performance.now());
    clearTimeout(timer);
    timer = setTimeout(() => { label.hidden = true; state.hidden.push(performance.now()); }, seconds * 1000);
  };
  const check = () => {
    const key = currentAudio() + "|" + showingSubtitles().join(",");
    if (key === lastKey) return;
    lastKey = key;
    if (machineNow()) show();
  };
  video.addEventListener("playing", check);
  video.textTracks.addEventListener("change", () => { if (!video.paused) check(); });
  const poll = setInterval(() => { if (!video.paused) check(); }, 250);  // audio switches have no DOM event
  window.addEventListener("pagehide", () => clearInterval(poll));
})();
