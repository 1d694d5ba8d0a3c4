// The recording booth. Per cue: the original played as a guide (sound and picture), then a
// countdown over the original's lead-in, the MediaRecorder take (the original falls silent
// at the cue unless the actor wears headphones, so it does not bleed into the microphone),
// a resumable tus upload that survives a dropped connection, the node's measurement
// ("starts 400 ms late"), and the take played back against the picture. Progress per
// character and per reel follows each take. Mix and publish are jobs the page follows.
(() => {
  "use strict";
  const root = document.querySelector(".booth");
  if (!root) return;
  const track = root.dataset.track;
  const prerollMs = Number(root.dataset.prerollMs) || 1500;
  const csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  const guide = root.querySelector(".booth-guide");
  const countdown = root.querySelector(".booth-countdown");
  const phase = root.querySelector(".booth-phase");
  const headphones = root.querySelector("input[name=headphones]");
  const state = window.dastanBooth = {
    takes: [], retries: 0, busy: false, error: null, chunkBytes: 262144, guide: [], played: [], jobs: [] };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  if (window.Hls && Hls.isSupported() && root.dataset.master) {
    const hls = new Hls();
    hls.loadSource(root.dataset.master);
    hls.attachMedia(guide);
  }

  // The guide's level as the actor hears it (Web Audio, after the element's mute and
  // volume): the booth shows that the original really sounds, and the tests read it.
  let analyser = null;
  const meter = () => {
    if (analyser) return analyser;
    try {
      const context = new AudioContext();
      const source = context.createMediaElementSource(guide);
      analyser = context.createAnalyser();
      analyser.fftSize = 2048;
      const gain = context.createGain();  // the element's own mute/volume already applied
      source.connect(analyser);
      analyser.connect(gain);
      gain.connect(context.destination);
      context.resume();
    } catch (e) { analyser = null; }
    return analyser;
  };
  const levelDb = () => {
    if (!analyser) return null;
    const samples = new Float32Array(analyser.fftSize);
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    return 10 * Math.log10(sum / samples.length + 1e-12);
  };
  const seek = (s) => new Promise((resolve) => {
    if (Math.abs(guide.currentTime - s) < 0.01) return resolve();
    guide.addEventListener("seeked", () => resolve(), { once: true });
    guide.currentTime = Math.max(0, s);
  });
  // Play the guide from..until (seconds of film), audible or muted, noting its loudest level.
  const playGuide = async (what, cue, fromS, untilS, audible) => {
    meter();
    guide.muted = !audible;
    guide.volume = 1;
    await seek(fromS);
    await guide.play().catch(() => {});
    const entry = { what, cue, audible, from_s: fromS, peak_db: -120 };
    state.guide.push(entry);
    while (guide.currentTime < untilS && !guide.paused) {
      const level = levelDb();
      if (level !== null) entry.peak_db = Math.max(entry.peak_db, level);
      await sleep(50);
    }
    return entry;
  };

  const api = async (method, path, body) => {
    const response = await fetch("/api/v1/dubbing" + path, {
      method, headers: { "Content-Type": "application/json", "X-CSRFToken": csrf }, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body) });
    const data = await response.json();
    if (!response.ok) throw new Error((data.message || response.status) + " " + (data.hint || ""));
    return data;
  };

  // tus 1.0: create, then PATCH chunks (256 KiB); on a network failure ask the server where
  // it stands (HEAD) and go on from there.
  const b64 = (s) => btoa(unescape(encodeURIComponent(s)));
  const tusUpload = async (blob, filename) => {
    const created = await fetch("/media/tus/", { method: "POST", credentials: "same-origin", headers: {
      "Tus-Resumable": "1.0.0", "Upload-Length": String(blob.size), "X-CSRFToken": csrf,
      "Upload-Metadata": "filename " + b64(filename) + ",kind " + b64("booth-take") } });
    if (created.status !== 201) throw new Error("upload refused: " + created.status);
    const location = created.headers.get("Location");
    let offset = 0, failures = 0;
    while (offset < blob.size) {
      try {
        const chunk = blob.slice(offset, offset + state.chunkBytes);
        const r = await fetch(location, { method: "PATCH", credentials: "same-origin", headers: {
          "Tus-Resumable": "1.0.0", "Upload-Offset": String(offset), "X-CSRFToken": csrf,
          "Content-Type": "application/offset+octet-stream" }, body: chunk });
        if (r.status !== 204) throw new Error("PATCH " + r.status);
        offset = Number(r.headers.get("Upload-Offset"));
      } catch (e) {
        if (++failures > 20) throw e;
        state.retries += 1;
        await sleep(300);
        const head = await fetch(location, { method: "HEAD", credentials: "same-origin",
          headers: { "Tus-Resumable": "1.0.0", "X-CSRFToken": csrf } });
        if (head.ok) offset = Number(head.headers.get("Upload-Offset"));
      }
    }
    return location.split("/").filter(Boolean).pop();
  };

  // Progress per character and per reel, counted from the cues' data-done.
  const recount = () => {
    const cues = [...root.querySelectorAll(".booth-cue")];
    const update = (row, mine) => {
      const done = mine.filter((li) => li.dataset.done === "1").length;
      row.querySelector(".count-done").textContent = String(done);
      const bar = row.querySelector("progress");
      if (bar) bar.value = done;
    };
    root.querySelectorAll("tr[data-character]").forEach((row) =>
      update(row, cues.filter((li) => li.dataset.speaker === row.dataset.character)));
    root.querySelectorAll("tr[data-reel]").forEach((row) =>
      update(row, cues.filter((li) => li.dataset.reel === row.dataset.reel)));
    const sentence = root.querySelector(".booth-done");
    sentence.textContent = sentence.dataset.template
      .replace("{done}", String(cues.filter((li) => li.dataset.done === "1").length))
      .replace("{total}", String(cues.length));
    state.progress = {
      characters: Object.fromEntries([...root.querySelectorAll("tr[data-character]")].map((r) =>
        [r.dataset.character, Number(r.querySelector(".count-done").textContent)])),
      reels: Object.fromEntries([...root.querySelectorAll("tr[data-reel]")].map((r) =>
        [r.dataset.reel, Number(r.querySelector(".count-done").textContent)])) };
  };

  const listen = (li) => {
    const start = Number(li.dataset.startMs), end = Number(li.dataset.endMs);
    phase.textContent = root.dataset.listen;
    return playGuide("listen", li.dataset.cue, (start - 500) / 1000, (end + 300) / 1000, true);
  };

  const recordCue = async (li) => {
    const start = Number(li.dataset.startMs), end = Number(li.dataset.endMs);
    const status = li.querySelector(".booth-status");
    await listen(li);
    guide.pause();
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false,
      noiseSuppression: false, autoGainControl: false } });
    const recorder = new MediaRecorder(stream);
    const parts = [];
    recorder.ondataavailable = (e) => { if (e.data.size) parts.push(e.data); };
    const stopped = new Promise((r) => { recorder.onstop = r; });
    // The countdown runs over the original's lead-in, audible; at the cue the original
    // goes quiet unless the actor hears it in headphones (a speaker would bleed into the take).
    phase.textContent = root.dataset.ready;
    guide.muted = false;
    await seek((start - prerollMs) / 1000);
    const leadIn = { what: "lead-in", cue: li.dataset.cue, audible: true, peak_db: -120 };
    state.guide.push(leadIn);
    await guide.play().catch(() => {});
    recorder.start();
    for (let n = 3; n > 0; n--) {
      countdown.textContent = String(n);
      const until = performance.now() + prerollMs / 3;
      while (performance.now() < until) {
        const level = levelDb();
        if (level !== null) leadIn.peak_db = Math.max(leadIn.peak_db, level);
        await sleep(50);
      }
    }
    guide.muted = !headphones.checked;
    state.guide.push({ what: "recording", cue: li.dataset.cue, audible: !guide.muted });
    countdown.textContent = "●";
    phase.textContent = root.dataset.recording;
    await sleep(end - start + 700);
    recorder.stop();
    await stopped;
    stream.getTracks().forEach((t) => t.stop());
    guide.pause();
    guide.muted = false;
    countdown.textContent = "";
    phase.textContent = root.dataset.uploading;
    const blob = new Blob(parts, { type: recorder.mimeType || "audio/webm" });
    status.textContent = "…";
    const uploadId = await tusUpload(blob, "take-" + li.dataset.cue + ".webm");
    const take = await api("POST", `/cues/${li.dataset.cue}/takes`, { upload_id: uploadId, preroll_ms: prerollMs });
    state.takes.push(take);
    status.textContent = take.measurement.advice.join("; ");
    phase.textContent = "";
    li.dataset.done = "1";
    const play = li.querySelector(".booth-play-take");
    play.dataset.src = `/studio/dubbing/takes/${take.id}.wav`;
    play.hidden = false;
    recount();
    return take;
  };

  // The take as the node keeps it (time 0 = the cue's start) over the muted picture.
  const playTake = async (li) => {
    const start = Number(li.dataset.startMs), end = Number(li.dataset.endMs);
    const audio = li.querySelector(".booth-playback");
    audio.src = li.querySelector(".booth-play-take").dataset.src;
    await new Promise((r) => { audio.addEventListener("canplay", r, { once: true }); audio.load(); });
    guide.muted = true;
    await seek(start / 1000);
    // Start the take once the picture plays, where the picture is; pull it back into place
    // should the two drift apart.
    await new Promise((resolve) => {
      guide.addEventListener("playing", () => resolve(), { once: true });
      guide.play().catch(() => resolve());
    });
    audio.currentTime = Math.max(0, guide.currentTime - start / 1000);
    await audio.play();
    let drift = 0;
    while (!audio.ended && guide.currentTime < (end + 700) / 1000) {
      const apart = (guide.currentTime - start / 1000) - audio.currentTime;
      drift = Math.max(drift, Math.abs(apart));
      if (Math.abs(apart) > 0.1) audio.currentTime = Math.max(0, guide.currentTime - start / 1000);
      await sleep(100);
    }
    guide.pause();
    audio.pause();
    guide.muted = false;
    state.played.push({ cue: li.dataset.cue, max_drift_s: drift });
  };

  const guarded = (work) => async () => {
    if (state.busy) return;
    state.busy = true;
    try { await work(); } catch (e) { state.error = String(e); }
    state.busy = false;
  };
  state.record = async (cueId) => recordCue(root.querySelector(`.booth-cue[data-cue="${cueId}"]`));
  state.listen = async (cueId) => listen(root.querySelector(`.booth-cue[data-cue="${cueId}"]`));
  state.playTake = async (cueId) => playTake(root.querySelector(`.booth-cue[data-cue="${cueId}"]`));
  root.querySelectorAll(".booth-cue").forEach((li) => {
    li.querySelector(".booth-record").addEventListener("click", guarded(() => recordCue(li)));
    li.querySelector(".booth-listen").addEventListener("click", guarded(async () => {
      await listen(li);
      guide.pause();
      phase.textContent = "";
    }));
    li.querySelector(".booth-play-take").addEventListener("click", guarded(() => playTake(li)));
  });

  // Mix and publish are jobs: follow the job until it ends, showing its progress.
  const result = root.querySelector(".booth-result");
  const bar = root.querySelector(".booth-job");
  const follow = async (order) => {
    bar.hidden = false;
    for (;;) {
      const status = await api("GET", `/tracks/${track}/human-dub`);
      const job = status.jobs.find((j) => j.id === order.job_id);
      if (job) {
        bar.value = job.progress;
        result.textContent = `${job.progress} % ${job.message}`;
        state.jobs.push({ id: job.id, state: job.state, progress: job.progress });
        if (job.state === "succeeded") { bar.hidden = true; return status.dub; }
        if (job.state === "failed" || job.state === "cancelled") {
          bar.hidden = true;
          throw new Error(`${job.error_message} ${job.error_hint}`);
        }
      }
      await sleep(700);
    }
  };
  const actions = {
    mix: async () => follow(await api("POST", `/tracks/${track}/human-dub`, { mode: "voice-over", studio_credit: "" })),
    approve: () => api("POST", `/tracks/${track}/human-dub/approve`),
    publish: async () => follow(await api("POST", `/tracks/${track}/human-dub/publish`, {
      territories: root.querySelector("input[name=territories]").value.split(/[\s,]+/).filter(Boolean) })),
  };
  root.querySelectorAll("[data-action]").forEach((b) => b.addEventListener("click", async () => {
    try {
      const dub = await actions[b.dataset.action]();
      result.textContent = `${dub.label}: ${dub.state}` + (dub.loudness.integrated_lufs !== undefined
        ? ` (${dub.loudness.integrated_lufs} LUFS)` : "");
      state.dub = dub;
    } catch (e) { result.textContent = String(e.message || e); state.error = String(e); }
  }));
  recount();
  state.ready = true;
})();
