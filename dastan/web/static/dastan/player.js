// The title page's player: hls.js under server-rendered controls and menus.
// Remembers per viewer (localStorage): preferred audio and subtitle languages, and the
// position in each title version, so a reload resumes where the viewer stopped.
(() => {
  "use strict";
  const root = document.querySelector(".player");
  if (!root) return;
  const video = root.querySelector("video");
  const seek = root.querySelector(".player-seek");
  const time = root.querySelector(".player-time");
  const playButton = root.querySelector("[data-action=play]");
  const muteButton = root.querySelector("[data-action=mute]");
  const thumb = root.querySelector(".storyboard");
  const store = {
    get(key) { try { return localStorage.getItem("dastan." + key); } catch (e) { return null; } },
    set(key, value) { try { localStorage.setItem("dastan." + key, value); } catch (e) { /* private mode */ } },
  };
  const resumeKey = "resume." + root.dataset.key;
  const interfaceLanguage = document.documentElement.lang;
  const state = window.dastanPlayer = { ready: false, error: null, hls: null, video };

  const clock = (s) => {
    s = Math.max(0, Math.floor(s || 0));
    const m = Math.floor(s / 60), h = Math.floor(m / 60);
    const pad = (n) => String(n).padStart(2, "0");
    return (h ? h + ":" + pad(m % 60) : m) + ":" + pad(s % 60);
  };
  const sameLanguage = (a, b) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

  // --- menus -------------------------------------------------------------------------
  const items = (kind) => [...root.querySelectorAll(`[role=menuitemradio][data-kind=${kind}]`)];
  const check = (kind, pick) => items(kind).forEach((el) => el.setAttribute("aria-checked", String(pick(el))));
  const closeMenus = (except) => root.querySelectorAll(".menu-button").forEach((b) => {
    if (b === except) return;
    b.setAttribute("aria-expanded", "false");
    document.getElementById(b.getAttribute("aria-controls")).hidden = true;
  });
  root.querySelectorAll(".menu-button").forEach((button) => button.addEventListener("click", () => {
    const list = document.getElementById(button.getAttribute("aria-controls"));
    const open = list.hidden;
    closeMenus(button);
    list.hidden = !open;
    button.setAttribute("aria-expanded", String(open));
    if (open) (list.querySelector("[aria-checked=true]") || list.querySelector("button")).focus();
  }));
  document.addEventListener("click", (e) => { if (!e.target.closest(".player-menu")) closeMenus(null); });

  // --- hls.js --------------------------------------------------------------------------
  const saved = parseFloat(store.get(resumeKey) || "0");
  // The viewer's language first: the remembered choice, else the interface language.
  // hls.js applies the preference when it picks the initial track, before any audio loads.
  const wantedAudio = store.get("audio") || interfaceLanguage;
  // Media links live minutes (DASTAN_MEDIA_URL_TTL_S): signed-links.js renews them while
  // the film plays, and stops the player with the reason when renewal is refused (a
  // licence revoked or ended, a title taken down).
  const links = window.DastanSignedLinks(Hls, {
    master: root.dataset.master, renewAfterS: Number(root.dataset.renewS) || 60,
    onRefused: (refusal) => {
      state.error = refusal.code || "refused";
      hls.stopLoad();
      video.pause();
      const note = document.createElement("p");
      note.className = "player-refused";
      note.setAttribute("role", "status");
      note.textContent = [refusal.message, refusal.hint].filter(Boolean).join(" ");
      root.append(note);
    },
  });
  state.links = links.state;
  const hls = new Hls({ startPosition: saved > 1 ? saved : -1, subtitleDisplay: false,
    audioPreference: { lang: wantedAudio }, loader: links.loader });
  state.hls = hls;
  const trackIndex = (tracks, el) => tracks.findIndex((t) => sameLanguage(t.lang, el.dataset.lang) && t.name === el.dataset.name);

  const chooseAudio = (index, remember) => {
    if (index < 0) return;
    hls.audioTrack = index;
    check("audio", (el) => trackIndex(hls.audioTracks, el) === index);
    if (remember) store.set("audio", hls.audioTracks[index].lang);
  };
  const chooseSubtitles = (index, remember) => {
    hls.subtitleTrack = index;
    hls.subtitleDisplay = index >= 0;
    // The stylesheet sets the cue font by this language (Nastaliq for Urdu, …).
    root.dataset.subtitles = index >= 0 ? hls.subtitleTracks[index].lang : "";
    [...video.textTracks].forEach((t, i) => { if (index < 0 && t.kind !== "metadata") t.mode = "disabled"; });
    check("subtitles", (el) => (index < 0 ? !el.dataset.lang : trackIndex(hls.subtitleTracks, el) === index));
    if (remember) store.set("subtitles", index < 0 ? "off" : hls.subtitleTracks[index].lang);
  };
  const chooseLevel = (level) => {
    hls.currentLevel = level;  // -1: automatic, by measured bandwidth
    check("quality", (el) => Number(el.dataset.level) === level);
  };

  // Menu entries the viewer's master does not carry (rights limits) are removed; hls.js
  // announces its tracks after the manifest is parsed.
  // A peer's film (data-remote): its tracks are known from its home node's master only,
  // so the menus are made from what hls.js found there.
  const remote = root.dataset.remote === "1";
  const fillMenu = (kind, tracks) => {
    const list = root.querySelector(`#menu-${kind}`);
    items(kind).forEach((el) => { if (el.dataset.lang) el.parentElement.remove(); });
    tracks.forEach((t) => {
      const li = document.createElement("li");
      li.setAttribute("role", "none");
      const button = document.createElement("button");
      Object.assign(button, { type: "button", textContent: t.name || t.lang });
      button.setAttribute("role", "menuitemradio");
      button.setAttribute("aria-checked", "false");
      Object.assign(button.dataset, { kind, lang: t.lang || "", name: t.name || "" });
      button.lang = t.lang || "";
      button.dir = "auto";
      li.append(button);
      list.append(li);
    });
  };
  hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, () => {
    if (remote) fillMenu("audio", hls.audioTracks);
    items("audio").forEach((el) => { if (trackIndex(hls.audioTracks, el) < 0) el.parentElement.remove(); });
    check("audio", (el) => trackIndex(hls.audioTracks, el) === hls.audioTrack);
    state.ready = true;
  });
  hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, () => {
    if (remote) fillMenu("subtitles", hls.subtitleTracks);
    items("subtitles").forEach((el) => { if (el.dataset.lang && trackIndex(hls.subtitleTracks, el) < 0) el.parentElement.remove(); });
    const subtitles = store.get("subtitles");
    if (subtitles && subtitles !== "off") {
      const index = hls.subtitleTracks.findIndex((t) => sameLanguage(t.lang, subtitles));
      if (index >= 0) chooseSubtitles(index, false);
    }
  });
  hls.on(Hls.Events.MANIFEST_PARSED, () => {
    const qualityList = root.querySelector("#menu-quality");
    hls.levels.map((l, i) => [l, i]).sort((a, b) => b[0].height - a[0].height).forEach(([level, i]) => {
      const li = document.createElement("li");
      li.setAttribute("role", "none");
      li.innerHTML = `<button type="button" role="menuitemradio" aria-checked="false" data-kind="quality" data-level="${i}" dir="ltr">${level.height}p</button>`;
      qualityList.append(li);
    });
  });
  hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, () => check("audio", (el) => trackIndex(hls.audioTracks, el) === hls.audioTrack));
  hls.on(Hls.Events.ERROR, (e, data) => { if (data.fatal) state.error = data.details; });
  // A peer's film is asked for when the viewer presses play: each load is a grant its
  // home node decides on, so a page merely opened costs that node nothing.
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    hls.loadSource(root.dataset.master);
    hls.attachMedia(video);
  };
  if (!remote) start();

  root.addEventListener("click", (e) => {
    const item = e.target.closest("[role=menuitemradio]");
    if (!item) return;
    const kind = item.dataset.kind;
    if (kind === "audio") chooseAudio(trackIndex(hls.audioTracks, item), true);
    if (kind === "subtitles") chooseSubtitles(item.dataset.lang ? trackIndex(hls.subtitleTracks, item) : -1, true);
    if (kind === "quality") chooseLevel(Number(item.dataset.level));
    closeMenus(null);
    root.querySelector(`[data-menu=${kind}]`).focus();
  });

  // --- transport -----------------------------------------------------------------------
  const togglePlay = () => {
    if (!started) {
      hls.once(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => { /* paused by the viewer */ }));
      return start();
    }
    return video.paused ? video.play() : video.pause();
  };
  const toggleMute = () => { video.muted = !video.muted; };
  const seekBy = (s) => { video.currentTime = Math.min(Math.max(0, video.currentTime + s), video.duration || 0); };
  const fullscreen = () => (document.fullscreenElement ? document.exitFullscreen() : root.requestFullscreen());
  const toggleSubtitles = () => {
    if (hls.subtitleTrack >= 0 && hls.subtitleDisplay) return chooseSubtitles(-1, true);
    const wanted = store.get("subtitles") !== "off" && store.get("subtitles") || interfaceLanguage;
    const index = hls.subtitleTracks.findIndex((t) => sameLanguage(t.lang, wanted));
    chooseSubtitles(index >= 0 ? index : (hls.subtitleTracks.length ? 0 : -1), true);
  };
  playButton.addEventListener("click", togglePlay);
  muteButton.addEventListener("click", toggleMute);
  root.querySelector("[data-action=fullscreen]").addEventListener("click", fullscreen);
  video.addEventListener("click", togglePlay);
  const paint = () => {
    playButton.setAttribute("aria-label", video.paused ? root.dataset.play : root.dataset.pause);
    playButton.firstElementChild.textContent = video.paused ? "▶" : "❚❚";
    muteButton.setAttribute("aria-label", video.muted ? root.dataset.unmute : root.dataset.mute);
    muteButton.firstElementChild.textContent = video.muted ? "🔇" : "🔊";
  };
  ["play", "pause", "volumechange"].forEach((e) => video.addEventListener(e, paint));
  let lastSaved = 0;
  const showTime = () => { time.textContent = clock(video.currentTime) + " / " + clock(video.duration); };
  video.addEventListener("timeupdate", () => {
    if (document.activeElement !== seek) seek.value = video.currentTime;
    showTime();
    if (Math.abs(video.currentTime - lastSaved) >= 1) {
      lastSaved = video.currentTime;
      store.set(resumeKey, video.ended ? "0" : video.currentTime.toFixed(1));
    }
  });
  video.addEventListener("durationchange", () => { seek.max = video.duration || 0; showTime(); });
  video.addEventListener("seeked", showTime);
  seek.addEventListener("input", () => { video.currentTime = Number(seek.value); });

  // Keys act anywhere on the page except in a form field; arrows follow the timeline,
  // which runs left to right in every language.
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    if (target.closest("form, select, textarea") || (target.tagName === "INPUT" && target !== seek)) return;
    if (target.getAttribute && target.getAttribute("role") === "menuitemradio") {
      const list = [...target.closest("[role=menu]").querySelectorAll("button")];
      const at = list.indexOf(target);
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        list[(at + (e.key === "ArrowDown" ? 1 : list.length - 1)) % list.length].focus();
        e.preventDefault();
      } else if (e.key === "Escape") {
        closeMenus(null);
        root.querySelector(`[data-menu=${target.dataset.kind}]`).focus();
      }
      return;
    }
    const onButton = target.tagName === "BUTTON" || target.tagName === "A";
    const actions = {
      " ": onButton ? null : togglePlay, k: togglePlay, K: togglePlay,
      ArrowLeft: () => seekBy(-5), ArrowRight: () => seekBy(5),
      m: toggleMute, M: toggleMute, f: fullscreen, F: fullscreen, c: toggleSubtitles, C: toggleSubtitles,
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  });

  // --- storyboard: the picture at the pointed time, over the seek bar -------------------
  let storyboard = [];
  const parseTime = (t) => t.split(":").reduce((acc, part) => acc * 60 + parseFloat(part), 0);
  (root.dataset.storyboard ? fetch(root.dataset.storyboard) : Promise.reject(new Error("none"))).then((r) => (r.ok ? r.text() : "")).then((text) => {
    const base = new URL(root.dataset.storyboard, location.href);
    storyboard = text.split(/\n\n+/).map((block) => block.trim().split("\n")).filter((l) => l[0].includes("-->"))
      .map(([times, ref]) => {
        const [start, end] = times.split("-->").map((t) => parseTime(t.trim()));
        const [file, frag] = ref.trim().split("#xywh=");
        const [x, y, w, h] = (frag || "0,0,0,0").split(",").map(Number);
        return { start, end, url: new URL(file, base).href, x, y, w, h };
      });
    state.storyboard = storyboard.length;
  }).catch(() => { /* thumbnails are a nicety */ });
  const showThumb = (seconds, fraction) => {
    const cue = storyboard.find((c) => seconds >= c.start && seconds < c.end) || storyboard[storyboard.length - 1];
    if (!cue) return;
    const box = seek.getBoundingClientRect(), frame = root.getBoundingClientRect();
    links.fresh().catch(() => {});  // the picture is fetched with the current token
    Object.assign(thumb.style, {
      width: cue.w + "px", height: cue.h + "px", backgroundImage: `url("${links.rewrite(cue.url)}")`,
      backgroundPosition: `-${cue.x}px -${cue.y}px`,
      left: Math.max(0, box.left - frame.left + fraction * box.width - cue.w / 2) + "px",
    });
    thumb.hidden = false;
  };
  seek.addEventListener("pointermove", (e) => {
    const box = seek.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (e.clientX - box.left) / box.width));
    showThumb(fraction * (video.duration || 0), fraction);
  });
  seek.addEventListener("input", () => showThumb(Number(seek.value), Number(seek.value) / (video.duration || 1)));
  ["pointerleave", "change", "blur"].forEach((e) => seek.addEventListener(e, () => { thumb.hidden = true; }));
  paint();
})();
