// The recording booth: per cue, the guide (the film from just before the cue), a
// countdown, a MediaRecorder take, playback, a resumable tus upload that survives a
// dropped connection, and the node's measurement ("starts 400 ms late").
(() => {
  "use strict";
  const root = document.querySelector(".booth");
  if (!root) return;
  const track = root.dataset.track;
  const prerollMs = Number(root.dataset.prerollMs) || 1500;
  const csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  const guide = root.querySelector(".booth-guide");
  const countdown = root.querySelector(".booth-countdown");
  const state = window.dastanBooth = { takes: [], retries: 0, busy: false, error: null, chunkBytes: 262144 };
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  if (window.Hls && Hls.isSupported() && root.dataset.master) {
    const hls = new Hls();
    hls.loadSource(root.dataset.master);
    hls.attachMedia(guide);
  }

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

  const recordCue = async (li) => {
    const start = Number(li.dataset.startMs), end = Number(li.dataset.endMs);
    const status = li.querySelector(".booth-status");
    const stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false,
      noiseSuppression: false, autoGainControl: false } });
    const recorder = new MediaRecorder(stream);
    const parts = [];
    recorder.ondataavailable = (e) => { if (e.data.size) parts.push(e.data); };
    const stopped = new Promise((r) => { recorder.onstop = r; });
    guide.currentTime = Math.max(0, (start - prerollMs) / 1000);
    guide.play().catch(() => {});
    recorder.start();
    for (let n = 3; n > 0; n--) { countdown.textContent = String(n); await sleep(prerollMs / 3); }
    countdown.textContent = "●";
    await sleep(end - start + 700);
    recorder.stop();
    await stopped;
    stream.getTracks().forEach((t) => t.stop());
    guide.pause();
    countdown.textContent = "";
    const blob = new Blob(parts, { type: recorder.mimeType || "audio/webm" });
    const playback = li.querySelector(".booth-playback");
    playback.src = URL.createObjectURL(blob);
    playback.hidden = false;
    status.textContent = "…";
    const uploadId = await tusUpload(blob, "take-" + li.dataset.cue + ".webm");
    const take = await api("POST", `/cues/${li.dataset.cue}/takes`, { upload_id: uploadId, preroll_ms: prerollMs });
    state.takes.push(take);
    status.textContent = take.measurement.advice.join("; ");
    return take;
  };
  state.record = async (cueId) => recordCue(root.querySelector(`.booth-cue[data-cue="${cueId}"]`));

  root.querySelectorAll(".booth-record").forEach((b) => b.addEventListener("click", async () => {
    if (state.busy) return;
    state.busy = true;
    try { await recordCue(b.closest(".booth-cue")); } catch (e) { state.error = String(e); }
    state.busy = false;
  }));
  const result = root.querySelector(".booth-result");
  const actions = {
    mix: () => api("POST", `/tracks/${track}/human-dub`, { mode: "voice-over", studio_credit: "" }),
    approve: () => api("POST", `/tracks/${track}/human-dub/approve`),
    publish: () => api("POST", `/tracks/${track}/human-dub/publish`, {
      territories: root.querySelector("input[name=territories]").value.split(/[\s,]+/).filter(Boolean) }),
  };
  root.querySelectorAll("[data-action]").forEach((b) => b.addEventListener("click", async () => {
    try {
      const dub = await actions[b.dataset.action]();
      result.textContent = `${dub.label}: ${dub.state}` + (dub.loudness.integrated_lufs !== undefined
        ? ` (${dub.loudness.integrated_lufs} LUFS)` : "");
      state.dub = dub;
    } catch (e) { result.textContent = String(e.message || e); state.error = String(e); }
  }));
  state.ready = true;
})();
