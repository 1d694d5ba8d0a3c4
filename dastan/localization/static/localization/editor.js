// The translator's editor: waveform and timeline, cues with live counters, QC, spelling,
// glossary and memory, autosave with per-cue revisions, keyboard control. Plain JS.
// Keys are read by event.code (the key's place), so they work in every keyboard layout.
(() => {
  "use strict";
  const root = document.getElementById("editor");
  if (!root) return;
  const cfg = JSON.parse(document.getElementById("editor-config").textContent);
  const T = cfg.strings;
  const csrf = cfg.csrf;
  const PX_PER_S = 100; // the peaks' resolution: 10 ms a column
  const SNAP_PX = 8;
  let data = null;
  let active = 0;
  let frames = false;
  let playhead = 0; // ms
  let playing = false;
  let lastTick = 0;
  const video = document.getElementById("ed-video");
  const canvas = document.getElementById("ed-wave");
  const lane = document.getElementById("ed-lane");
  const scroller = document.getElementById("ed-scroll");
  const list = document.getElementById("ed-cues");
  const status = document.getElementById("ed-status");
  let peaks = null;
  const timers = {};
  let qcByIndex = {}; // cue index → the QC issues last reported for it
  const qcAsked = {}; // cue id → number of the latest question, so a late answer is dropped

  function say(text, kind) {
    status.textContent = text;
    status.className = "ed-status" + (kind ? " ed-" + kind : "");
  }
  async function api(method, path, body) {
    const response = await fetch("/api/v1/localization" + path, {
      method, credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const err = new Error((json && json.message) || response.statusText);
      err.status = response.status;
      err.body = json;
      throw err;
    }
    return json;
  }

  // --- timecodes ------------------------------------------------------------------------
  function pad(n, w) { return String(n).padStart(w, "0"); }
  function tc(ms) {
    const h = Math.floor(ms / 3600000), m = Math.floor(ms / 60000) % 60, s = Math.floor(ms / 1000) % 60;
    if (frames) {
      const f = Math.floor(((ms % 1000) * data.track.fps) / 1000);
      return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}:${pad(f, 2)}`;
    }
    return `${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(ms % 1000, 3)}`;
  }
  function parseTc(text) {
    const t = text.trim();
    let m = t.match(/^(\d+):(\d{1,2}):(\d{1,2})[.,](\d{1,3})$/);
    if (m) return ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1000 + +m[4].padEnd(3, "0");
    m = t.match(/^(\d+):(\d{1,2}):(\d{1,2}):(\d{1,2})$/);
    if (m) return ((+m[1] * 60 + +m[2]) * 60 + +m[3]) * 1000 + Math.round((+m[4] * 1000) / data.track.fps);
    if (/^\d+$/.test(t)) return frames ? Math.round((+t * 1000) / data.track.fps) : +t;
    return null;
  }

  // --- playhead ---------------------------------------------------------------------------
  function hasVideo() { return video && video.dataset.ready === "1"; }
  function setPlayhead(ms) {
    playhead = Math.max(0, Math.round(ms));
    if (hasVideo()) video.currentTime = playhead / 1000;
    drawPlayhead();
  }
  function togglePlay() {
    playing = !playing;
    if (hasVideo()) { if (playing) video.play(); else video.pause(); }
    lastTick = performance.now();
    if (playing) requestAnimationFrame(tick);
    say(playing ? T.playing : T.paused);
  }
  function tick(now) {
    if (!playing) return;
    if (hasVideo()) playhead = Math.round(video.currentTime * 1000);
    else { playhead += now - lastTick; lastTick = now; }
    drawPlayhead();
    requestAnimationFrame(tick);
  }
  function drawPlayhead() {
    const mark = document.getElementById("ed-playhead");
    mark.style.insetInlineStart = "auto";
    mark.style.left = (playhead / 1000) * PX_PER_S + "px";
    document.getElementById("ed-clock").textContent = tc(Math.round(playhead));
    const x = (playhead / 1000) * PX_PER_S;
    if (x < scroller.scrollLeft || x > scroller.scrollLeft + scroller.clientWidth - 20) {
      scroller.scrollLeft = Math.max(0, x - scroller.clientWidth / 3);
    }
  }

  // --- waveform ---------------------------------------------------------------------------
  async function loadPeaks() {
    if (!data.waveform) return;
    const started = performance.now();
    const response = await fetch(data.waveform.url, { credentials: "same-origin" });
    const buffer = await response.arrayBuffer();
    const header = new DataView(buffer, 0, 24);
    const length = header.getUint32(16, true);
    peaks = new Int8Array(buffer, 24, length * 2);
    drawWave();
    performance.mark("waveform-drawn");
    root.dataset.waveformMs = String(Math.round(performance.now() - started));
  }
  function drawWave() {
    const width = Math.max(scroller.clientWidth, 1);
    canvas.width = width;
    canvas.style.left = scroller.scrollLeft + "px";
    const ctx = canvas.getContext("2d");
    const h = canvas.height;
    ctx.clearRect(0, 0, width, h);
    ctx.fillStyle = "#5b7fa3";
    if (peaks) {
      const first = Math.floor(scroller.scrollLeft);
      for (let x = 0; x < width; x++) {
        const i = (first + x) * 2;
        if (i + 1 >= peaks.length) break;
        const lo = peaks[i], hi = peaks[i + 1];
        const y1 = h / 2 - (hi / 128) * (h / 2), y2 = h / 2 - (lo / 128) * (h / 2);
        ctx.fillRect(x, y1, 1, Math.max(1, y2 - y1));
      }
    }
    ctx.fillStyle = "#c0392b";
    for (const ms of data.shot_changes_ms) {
      const x = (ms / 1000) * PX_PER_S - scroller.scrollLeft;
      if (x >= 0 && x < width) ctx.fillRect(x, 0, 2, h);
    }
    ctx.fillStyle = "#27ae60";
    for (const ms of data.speech_onsets_ms) {
      const x = (ms / 1000) * PX_PER_S - scroller.scrollLeft;
      if (x >= 0 && x < width) ctx.fillRect(x, h - 8, 2, 8);
    }
  }

  // --- the timeline's cue blocks ------------------------------------------------------------
  function snap(ms) {
    let best = ms, dist = (SNAP_PX / PX_PER_S) * 1000;
    for (const t of [...data.shot_changes_ms, ...data.speech_onsets_ms, Math.round(playhead)]) {
      if (Math.abs(t - ms) < dist) { best = t; dist = Math.abs(t - ms); }
    }
    return best;
  }
  function drawBlocks() {
    lane.innerHTML = "";
    const last = data.cues.length ? data.cues[data.cues.length - 1].end_ms : 0;
    const total = Math.max(last + 5000, data.waveform ? data.waveform.duration_ms : 0);
    lane.style.width = (total / 1000) * PX_PER_S + "px";
    document.getElementById("ed-track").style.width = lane.style.width;
    data.cues.forEach((cue, i) => {
      const block = document.createElement("div");
      block.className = "ed-block" + (i === active ? " ed-block-active" : "") + (cue.confirmed ? " ed-block-done" : "");
      block.style.left = (cue.start_ms / 1000) * PX_PER_S + "px";
      block.style.width = ((cue.end_ms - cue.start_ms) / 1000) * PX_PER_S + "px";
      block.textContent = cue.index;
      block.title = cue.text;
      for (const edge of ["start", "end"]) {
        const handle = document.createElement("span");
        handle.className = "ed-edge ed-edge-" + edge;
        handle.addEventListener("pointerdown", (ev) => dragEdge(ev, i, edge));
        block.appendChild(handle);
      }
      block.addEventListener("click", () => focusCue(i));
      lane.appendChild(block);
    });
  }
  function dragEdge(ev, i, edge) {
    ev.preventDefault();
    const cue = data.cues[i];
    const startX = ev.clientX, original = cue[edge + "_ms"];
    function move(e) {
      const ms = snap(original + ((e.clientX - startX) / PX_PER_S) * 1000);
      if (edge === "start" && ms < cue.end_ms) cue.start_ms = Math.max(0, ms);
      if (edge === "end" && ms > cue.start_ms) cue.end_ms = ms;
      drawBlocks();
    }
    function up() {
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
      saveTiming(i);
    }
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  // --- the cue list -------------------------------------------------------------------------
  function escapeHtml(s) {
    return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  }
  function marked(text, terms) {
    let html = escapeHtml(text);
    for (const term of terms) {
      const re = new RegExp(escapeHtml(term.source).replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gi");
      html = html.replace(re, (m) => `<mark class="ed-term" title="${escapeHtml(term.target)}">${m}</mark>`);
    }
    return html;
  }
  function renderList() {
    list.innerHTML = "";
    data.cues.forEach((cue, i) => list.appendChild(row(cue, i)));
    drawBlocks();
    drawWave();
  }
  function row(cue, i) {
    const li = document.createElement("li");
    li.className = "ed-cue" + (i === active ? " ed-cue-active" : "") + (cue.confirmed ? " ed-cue-done" : "");
    li.id = "ed-cue-" + cue.index;
    li.dataset.index = i;
    const terms = cue.terms.map((t) => `<li><bdi>${escapeHtml(t.source)}</bdi> → <bdi>${escapeHtml(t.target)}</bdi></li>`).join("");
    const memory = cue.memory.map((m, n) => `<li><kbd dir="ltr">Alt+${n + 1}</kbd> <span class="ed-score" dir="ltr">${m.score}%</span> <bdi lang="${data.track.language}">${escapeHtml(m.target_text)}</bdi></li>`).join("");
    li.innerHTML = `
      <div class="ed-cue-head"><b>${cue.index}</b>
        <label>${T.start} <input class="ed-tc ed-start" dir="ltr" value="${tc(cue.start_ms)}" size="12"></label>
        <label>${T.end} <input class="ed-tc ed-end" dir="ltr" value="${tc(cue.end_ms)}" size="12"></label>
        <span class="ed-rev" dir="ltr">r${cue.revision}</span></div>
      ${data.track.original_language ? `<p class="ed-original" lang="${data.track.original_language}" dir="auto"><small>${T.original}</small> ${escapeHtml(cue.original_text)}</p>` : ""}
      <p class="ed-source" lang="${data.track.source_language}" dir="auto">${marked(cue.source_text, cue.terms)}</p>
      <textarea class="ed-text" rows="2" lang="${data.track.language}" dir="${cfg.target_dir}" aria-label="${T.translation} ${cue.index}">${escapeHtml(cue.text)}</textarea>
      <p class="ed-counters"></p>
      <ul class="ed-qc" aria-label="${T.qc}" aria-live="polite"></ul>
      <ul class="ed-spelling"></ul>
      ${terms ? `<ul class="ed-terms" aria-label="${T.glossary}">${terms}</ul>` : ""}
      ${memory ? `<ul class="ed-memory" aria-label="${T.memory}">${memory}</ul>` : ""}
      <div class="ed-conflict" hidden></div>`;
    const area = li.querySelector(".ed-text");
    area.addEventListener("focus", () => { if (active !== i) { active = i; highlight(); } });
    area.addEventListener("input", () => { cue.text = area.value; check(i); queueSave(i); queueSpelling(i); });
    for (const [cls, key] of [[".ed-start", "start_ms"], [".ed-end", "end_ms"]]) {
      const input = li.querySelector(cls);
      input.addEventListener("change", () => {
        const ms = parseTc(input.value);
        if (ms === null) { say(T.bad_timecode, "error"); input.value = tc(cue[key]); return; }
        cue[key] = ms;
        saveTiming(i);
      });
    }
    setTimeout(() => { counters(i); showQc(i, qcByIndex[cue.index] || []); }, 0);
    return li;
  }
  function rowOf(i) { return list.children[i]; }
  function highlight() {
    [...list.children].forEach((li, n) => li.classList.toggle("ed-cue-active", n === active));
    drawBlocks();
  }
  function focusCue(i) {
    if (i < 0 || i >= data.cues.length) return;
    active = i;
    highlight();
    const li = rowOf(i);
    li.scrollIntoView({ block: "nearest" });
    li.querySelector(".ed-text").focus();
    setPlayhead(data.cues[i].start_ms);
  }

  // --- live counters and QC, in the interface language ----------------------------------
  // The counters are arithmetic on the profile; the QC messages are the review desk's own
  // rules (subtitles/qc.py), asked of the server for the cue as it stands on screen.
  function check(i) {
    counters(i);
    queueQc(i);
  }
  function counters(i) {
    const cue = data.cues[i], p = data.profile, li = rowOf(i);
    if (!li) return;
    const lines = cue.text.split("\n");
    const longest = Math.max(0, ...lines.map((l) => [...l].length));
    const chars = lines.reduce((n, l) => n + [...l.trim()].length, 0);
    const dur = cue.end_ms - cue.start_ms;
    const cps = dur > 0 ? chars / (dur / 1000) : 0;
    const next = data.cues[i + 1];
    const gap = next ? next.start_ms - cue.end_ms : null;
    // Labels in the interface's direction, figures always left to right.
    const n = (text) => `<bdi dir="ltr" class="ed-num">${text}</bdi>`;
    li.querySelector(".ed-counters").innerHTML =
      `<span class="${longest > p.chars_per_line ? "ed-bad" : ""}">${T.cpl} ${n(longest + "/" + p.chars_per_line)}</span> · ` +
      `<span class="${cps > p.max_cps ? "ed-bad" : ""}">${T.cps} ${n(cps.toFixed(1) + "/" + p.max_cps)}</span> · ` +
      `<span class="${dur < p.min_duration_ms || dur > p.max_duration_ms ? "ed-bad" : ""}">${T.duration} ${n((dur / 1000).toFixed(3) + " s")}</span>` +
      (gap === null ? "" : ` · <span class="${gap < p.min_gap_ms ? "ed-bad" : ""}">${T.gap} ${n(gap + " ms")}</span>`);
  }
  function showQc(i, issues) {
    const li = rowOf(i);
    if (!li) return;
    li.querySelector(".ed-qc").innerHTML = issues.map((m) =>
      `<li class="ed-qc-${m.severity}" data-rule="${m.rule}" dir="auto">${escapeHtml(m.message)}</li>`).join("");
  }
  function queueQc(i) {
    const cue = data.cues[i];
    clearTimeout(timers["qc" + cue.id]);
    timers["qc" + cue.id] = setTimeout(() => { delete timers["qc" + cue.id]; askQc(i); }, 350);
  }
  async function askQc(i) {
    const cue = data.cues[i];
    const asked = (qcAsked[cue.id] = (qcAsked[cue.id] || 0) + 1);
    try {
      const issues = await api("POST", `/cues/${cue.id}/qc`, { text: cue.text, start_ms: cue.start_ms, end_ms: cue.end_ms });
      if (asked !== qcAsked[cue.id] || data.cues[i] !== cue) return; // typed again meanwhile
      qcByIndex[cue.index] = issues;
      showQc(i, issues);
    } catch (err) { /* the counters still show; the next keystroke asks again */ }
  }
  async function loadQc() {
    qcByIndex = {};
    for (const issue of await api("GET", `/tracks/${cfg.track_id}/qc`)) {
      (qcByIndex[issue.cue_index] = qcByIndex[issue.cue_index] || []).push(issue);
    }
    data.cues.forEach((cue, i) => showQc(i, qcByIndex[cue.index] || []));
    root.dataset.qcReady = "1";
  }

  // --- saving, with revisions -------------------------------------------------------------
  function queueSave(i) {
    clearTimeout(timers["save" + i]);
    say(T.unsaved);
    timers["save" + i] = setTimeout(() => saveText(i), 600);
  }
  async function flush() {
    const pending = Object.keys(timers).filter((k) => k.startsWith("save"));
    for (const key of pending) {
      clearTimeout(timers[key]);
      delete timers[key];
      await saveText(+key.slice(4));
    }
  }
  async function saveText(i) {
    delete timers["save" + i];
    const cue = data.cues[i];
    await save(i, { text: cue.text });
  }
  async function saveTiming(i) {
    const cue = data.cues[i];
    await save(i, { start_ms: cue.start_ms, end_ms: cue.end_ms });
    const li = rowOf(i);
    if (li) {
      li.querySelector(".ed-start").value = tc(cue.start_ms);
      li.querySelector(".ed-end").value = tc(cue.end_ms);
    }
    drawBlocks();
    check(i);
    if (i > 0) check(i - 1);
    if (i + 1 < data.cues.length) check(i + 1);
  }
  async function save(i, body) {
    const cue = data.cues[i];
    say(T.saving);
    try {
      const saved = await api("PATCH", `/cues/${cue.id}`, { ...body, base_revision: cue.revision });
      cue.revision = saved.revision;
      const li = rowOf(i);
      if (li) li.querySelector(".ed-rev").textContent = "r" + saved.revision;
      say(T.saved, "ok");
    } catch (err) {
      if (err.status === 409) return conflict(i);
      say(err.message + " " + ((err.body && err.body.hint) || ""), "error");
    }
  }
  async function conflict(i) {
    // Someone else saved this cue: show their text beside ours; nothing is overwritten.
    const mine = data.cues[i];
    const fresh = await api("GET", `/tracks/${cfg.track_id}/workbench`);
    const theirs = fresh.cues.find((c) => c.id === mine.id);
    const box = rowOf(i).querySelector(".ed-conflict");
    box.hidden = false;
    box.innerHTML = `<p><b>${T.conflict}</b></p><p dir="auto" lang="${data.track.language}" class="ed-theirs">${escapeHtml(theirs ? theirs.text : "")}</p>
      <button type="button" class="ed-keep">${T.keep_mine}</button> <button type="button" class="ed-take secondary">${T.take_theirs}</button>`;
    say(T.conflict, "error");
    box.querySelector(".ed-keep").addEventListener("click", async () => {
      mine.revision = theirs.revision; box.hidden = true; await save(i, { text: mine.text });
    });
    box.querySelector(".ed-take").addEventListener("click", () => {
      Object.assign(mine, theirs); box.hidden = true; rowOf(i).querySelector(".ed-text").value = theirs.text; check(i);
    });
  }

  // --- spelling -----------------------------------------------------------------------------
  function queueSpelling(i) {
    clearTimeout(timers["spell"]);
    timers["spell"] = setTimeout(() => { delete timers["spell"]; spell(i); }, 500);
  }
  async function spell(i) {
    const cue = data.cues[i];
    const ul = rowOf(i).querySelector(".ed-spelling");
    if (!data.track.spelling) { ul.innerHTML = `<li class="ed-note">${T.no_dictionary}</li>`; return; }
    const result = await api("POST", "/spelling", { language: data.track.language, text: cue.text });
    cue.misspellings = result.misspellings;
    ul.innerHTML = result.misspellings.map((m) =>
      `<li><span class="ed-misspelt" lang="${data.track.language}">${escapeHtml(m.word)}</span> → ${m.suggestions.map(escapeHtml).join(", ") || "—"}</li>`).join("");
    rowOf(i).dataset.spelled = "1";
  }
  function fixSpelling(i) {
    const cue = data.cues[i];
    const flag = (cue.misspellings || []).find((m) => m.suggestions.length);
    if (!flag) return;
    cue.text = cue.text.slice(0, flag.start) + flag.suggestions[0] + cue.text.slice(flag.end);
    rowOf(i).querySelector(".ed-text").value = cue.text;
    check(i); queueSave(i); queueSpelling(i);
  }

  // --- cue operations ---------------------------------------------------------------------
  function insertMemory(i, n) {
    const match = data.cues[i].memory[n];
    if (!match) return;
    data.cues[i].text = match.target_text;
    rowOf(i).querySelector(".ed-text").value = match.target_text;
    check(i); queueSave(i);
  }
  async function setEdge(i, edge) {
    const cue = data.cues[i];
    const ms = Math.round(playhead);
    if (edge === "start" && ms >= cue.end_ms) return say(T.playhead_outside, "error");
    if (edge === "end" && ms <= cue.start_ms) return say(T.playhead_outside, "error");
    cue[edge + "_ms"] = ms;
    await saveTiming(i);
  }
  async function reload(focus) {
    data = await api("GET", `/tracks/${cfg.track_id}/workbench`);
    renderList();
    focusCue(Math.min(focus, data.cues.length - 1));
    loadQc().catch(() => {});
  }
  async function split(i) {
    await flush();
    const cue = data.cues[i];
    const area = rowOf(i).querySelector(".ed-text");
    const at = area.selectionStart;
    try {
      await api("POST", `/cues/${cue.id}/split`, { at_ms: Math.round(playhead), base_revision: cue.revision,
        text_before: cue.text.slice(0, at), text_after: cue.text.slice(at) });
      await reload(i + 1);
      say(T.split_done, "ok");
    } catch (err) { say(err.message, "error"); }
  }
  async function merge(i) {
    await flush();
    const cue = data.cues[i], next = data.cues[i + 1];
    try {
      await api("POST", `/cues/${cue.id}/merge`, { base_revision: cue.revision, next_revision: next ? next.revision : null });
      await reload(i);
      say(T.merge_done, "ok");
    } catch (err) { say(err.message, "error"); }
  }
  async function approveCue(i) {
    // The translator moves on at once; the approval is saved behind them.
    focusCue(i + 1 < data.cues.length ? i + 1 : i);
    await flush();
    const cue = data.cues[i];
    try {
      const saved = await api("POST", `/cues/${cue.id}/confirm`, { confirmed: true });
      cue.confirmed = saved.confirmed;
      rowOf(i).classList.add("ed-cue-done");
      drawBlocks();
    } catch (err) { say(err.message, "error"); }
  }
  async function submit() {
    await flush();
    try {
      await api("POST", `/tracks/${cfg.track_id}/submit`);
      say(T.submitted, "ok");
      root.dataset.submitted = "1";
    } catch (err) { say(err.message + " " + ((err.body && err.body.hint) || ""), "error"); }
  }

  // --- keyboard -----------------------------------------------------------------------------
  document.addEventListener("keydown", (ev) => {
    const c = ev.code;
    let handled = true;
    if (ev.altKey && !ev.ctrlKey) {
      if (c === "KeyK") togglePlay();
      else if (c === "KeyJ") setPlayhead(playhead - 1000);
      else if (c === "KeyL") setPlayhead(playhead + 1000);
      else if (c === "KeyI" || c === "BracketLeft") setEdge(active, "start");
      else if (c === "KeyO" || c === "BracketRight") setEdge(active, "end");
      else if (c === "KeyS") split(active);
      else if (c === "KeyM") merge(active);
      else if (c === "ArrowDown") focusCue(active + 1);
      else if (c === "ArrowUp") focusCue(active - 1);
      else if (c === "KeyP") fixSpelling(active);
      else if (c === "KeyT") { frames = !frames; renderList(); focusCue(active); }
      else if (c === "KeyH") { const help = document.getElementById("ed-help"); help.hidden = !help.hidden; }
      else if (/^Digit[1-3]$/.test(c)) insertMemory(active, +c.slice(5) - 1);
      else handled = false;
    } else if (ev.ctrlKey && c === "Space") togglePlay();
    else if (ev.ctrlKey && ev.shiftKey && c === "Enter") submit();
    else if (ev.ctrlKey && c === "Enter") approveCue(active);
    else handled = false;
    if (handled) ev.preventDefault();
  });
  scroller.addEventListener("scroll", drawWave);
  document.getElementById("ed-track").addEventListener("click", (ev) => {
    if (ev.target.closest(".ed-block")) return;
    const rect = document.getElementById("ed-track").getBoundingClientRect();
    setPlayhead(((ev.clientX - rect.left) / PX_PER_S) * 1000);
  });
  if (video && video.dataset.src && cfg.has_stream) {
    if (window.Hls && Hls.isSupported()) { const hls = new Hls(); hls.loadSource(video.dataset.src); hls.attachMedia(video); }
    else video.src = video.dataset.src;
    video.dataset.ready = "1";
  }

  (async function start() {
    data = await api("GET", `/tracks/${cfg.track_id}/workbench`);
    renderList();
    focusCue(0);
    root.dataset.ready = "1";
    loadQc().catch((err) => say(err.message, "error"));
    if (!data.waveform && cfg.has_film) {
      try { await api("POST", `/titles/${data.track.title}/waveform`); } catch (err) { /* shown below */ }
    }
    await loadPeaks();
  })().catch((err) => say(err.message, "error"));
})();
