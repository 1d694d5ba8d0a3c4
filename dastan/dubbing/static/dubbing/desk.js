// The human dub's review desk: hear each cue's take (or the whole mix) against the
// picture, and follow the mix and publish jobs. Plain script, no framework.
// window.dastanDubDesk records what played and the job progress seen, for the tests.
(() => {
  "use strict";
  const video = document.getElementById("dub-player");
  const voice = document.getElementById("dub-voice");
  if (!video || !voice) return;
  // The job progress seen survives the reload that shows a finished job's result.
  const kept = JSON.parse(sessionStorage.getItem("dastanDubDesk.progress") || "[]");
  const state = window.dastanDubDesk = { ready: false, played: [], progress: kept, finished: [] };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  if (window.Hls && Hls.isSupported()) {
    const hls = new Hls();
    hls.loadSource(video.dataset.src);
    hls.attachMedia(video);
    hls.on(Hls.Events.MANIFEST_PARSED, () => { state.ready = true; });
  } else {
    video.src = video.dataset.src;
    video.addEventListener("loadedmetadata", () => { state.ready = true; });
  }

  const seek = (s) => new Promise((resolve) => {
    if (Math.abs(video.currentTime - s) < 0.01) return resolve();
    video.addEventListener("seeked", () => resolve(), { once: true });
    video.currentTime = s;
  });
  const started = (media) => new Promise((resolve) => {
    media.addEventListener("playing", () => resolve(), { once: true });
    media.play().catch(() => resolve());
  });
  // The picture plays muted and the voice plays over it, started together; how far the
  // two drift apart is measured while they play.
  let playing = null;
  const stop = () => {
    if (playing) playing.cancelled = true;
    video.pause();
    voice.pause();
    video.muted = false;
  };
  const together = async (src, fromS, voiceFromS, untilS, what) => {
    stop();
    const run = playing = { cancelled: false };
    video.muted = true;
    voice.src = src;
    await new Promise((r) => { voice.addEventListener("canplay", r, { once: true }); voice.load(); });
    await seek(fromS);
    // The picture may take a moment to start (buffering): start the voice once it plays,
    // where the picture is, and pull it back into place should they drift apart.
    await started(video);
    voice.currentTime = voiceFromS + (video.currentTime - fromS);
    await voice.play();
    const drift = [];
    while (!run.cancelled && !voice.ended && video.currentTime < untilS) {
      const apart = (video.currentTime - fromS) - (voice.currentTime - voiceFromS);
      drift.push(Math.abs(apart));
      if (Math.abs(apart) > 0.1) voice.currentTime = voiceFromS + (video.currentTime - fromS);
      await sleep(100);
    }
    if (run.cancelled) return;
    stop();
    state.played.push({ what, from_s: fromS, max_drift_s: drift.length ? Math.max(...drift) : null });
  };
  document.querySelectorAll(".dub-play-take").forEach((button) => button.addEventListener("click", () => {
    const start = Number(button.dataset.startMs) / 1000, end = Number(button.dataset.endMs) / 1000;
    // A take's time 0 is its cue's start (the node cut the booth's pre-roll off).
    together(button.dataset.src, start, 0, end + 0.7, "take:" + button.closest("tr").dataset.cue);
  }));
  const mix = document.querySelector(".dub-play-mix");
  if (mix) mix.addEventListener("click", () => {
    const from = video.currentTime;
    together(mix.dataset.src, from, from, video.duration || Infinity, "mix");
  });

  // Jobs: redraw each from GET …/human-dub every second while one is unfinished; when one
  // ends, reload once so the page shows the dub as it is now.
  const jobs = document.querySelector(".dub-jobs");
  const running = (s) => s === "waiting" || s === "queued" || s === "running";
  const draw = (job) => {
    const item = jobs.querySelector(`.dub-job[data-job="${job.id}"]`);
    if (!item) return false;
    const was = item.dataset.state;
    item.dataset.state = job.state;
    item.querySelector("progress").value = job.progress;
    item.querySelector(".dub-job-progress bdi").textContent = job.progress + " %";
    item.querySelector(".dub-job-message").textContent = job.message;
    const error = item.querySelector(".dub-job-error");
    error.hidden = !job.error_message;
    error.textContent = (job.error_message + " " + job.error_hint).trim();
    state.progress.push({ id: job.id, kind: job.kind, state: job.state, progress: job.progress });
    sessionStorage.setItem("dastanDubDesk.progress", JSON.stringify(state.progress.slice(-200)));
    return running(was) && !running(job.state);
  };
  const poll = async () => {
    for (;;) {
      const open = [...jobs.querySelectorAll(".dub-job")].some((li) => running(li.dataset.state));
      if (!open) return;
      await sleep(1000);
      try {
        const response = await fetch(jobs.dataset.statusUrl, { credentials: "same-origin",
          headers: { Accept: "application/json" } });
        if (!response.ok) continue;
        const data = await response.json();
        const ended = data.jobs.map(draw).some(Boolean);
        if (ended) {
          state.finished.push(Date.now());
          await sleep(600);
          window.location.reload();
          return;
        }
      } catch (e) { /* the next round asks again */ }
    }
  };
  if (jobs) poll();
})();
