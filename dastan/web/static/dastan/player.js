// The title page's player: server-rendered controls and menus over hls.js, or over the
// browser's own HLS where hls.js cannot run (player-engines.js chooses). Remembers
// per viewer (localStorage): preferred audio and subtitle languages, and the position in
// each title version, so a reload resumes where the viewer stopped. When playback fails
// the viewer reads why and what to do (.player-message, a live region); single-key
// shortcuts act only while focus is inside the player (WCAG 2.1.4).
(() => {
  "use strict";
  const root = document.querySelector(".player");
  if (!root) return;
  const video = root.querySelector("video");
  const seek = root.querySelector(".player-seek");
  const time = root.querySelector(".player-time");
  const message = root.querySelector(".player-message");
  const playButton = root.querySelector("[data-action=play]");
  const muteButton = root.querySelector("[data-action=mute]");
  const thumb = root.querySelector(".storyboard");
  const store = {
    get(key) { try { return localStorage.getItem("dastan." + key); } catch (e) { return null; } },
    set(key, value) { try { localStorage.setItem("dastan." + key, value); } catch (e) { /* private mode */ } },
  };
  const resumeKey = "resume." + root.dataset.key;
  const interfaceLanguage = document.documentElement.lang;
  const master = root.dataset.master;
  const renewAfterS = Number(root.dataset.renewS) || 60;
  const saved = parseFloat(store.get(resumeKey) || "0");
  const state = window.dastanPlayer = {
    ready: false, error: null, hls: null, video, engine: null, audioLanguage: () => "",
  };

  const clock = (s) => {
    s = Math.max(0, Math.floor(s || 0));
    const m = Math.floor(s / 60), h = Math.floor(m / 60);
    const pad = (n) => String(n).padStart(2, "0");
    return (h ? h + ":" + pad(m % 60) : m) + ":" + pad(s % 60);
  };
  // "1 minute, 5 seconds" in the page's language from the browser's own CLDR data. Where
  // the browser has no unit names for the language (Chromium lacks Kyrgyz, Tajik and
  // Belarusian, and Kazakh's units), it would answer in English: the clock is said instead.
  const unitName = (language, unit, n) => new Intl.NumberFormat(language, { style: "unit", unit, unitDisplay: "long" }).format(n);
  const spokenUnits = (() => {
    try {
      return /^en\b/i.test(interfaceLanguage) || unitName(interfaceLanguage, "second", 2) !== unitName("en", "second", 2);
    } catch (e) { return false; }
  })();
  const spoken = (seconds) => {
    const s = Math.max(0, Math.floor(seconds || 0));
    if (!spokenUnits) return clock(s);
    const parts = [[Math.floor(s / 3600), "hour"], [Math.floor(s / 60) % 60, "minute"], [s % 60, "second"]]
      .filter(([n], i) => n > 0 || (i === 2 && s === 0)).map(([n, unit]) => unitName(interfaceLanguage, unit, n));
    return Intl.ListFormat ? new Intl.ListFormat(interfaceLanguage, { type: "unit", style: "long" }).format(parts) : parts.join(" ");
  };
  const sameLanguage = (a, b) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

  // --- what went wrong, and what the viewer can do ----------------------------------
  // The strings come translated from the template (data-* of .player-message).
  const say = (kind, lines, retry) => {
    message.replaceChildren();
    lines.filter(Boolean).forEach((text) => {
      const p = document.createElement("p");
      p.className = kind;
      p.dir = "auto";  // a server's reason may be in another script than the page
      p.textContent = text;
      message.append(p);
    });
    if (!retry) return;
    const button = document.createElement("button");
    Object.assign(button, { type: "button", className: "player-button player-retry", textContent: message.dataset.retry });
    button.addEventListener("click", () => {
      message.replaceChildren();
      state.error = null;
      state.engine.retry();
      root.focus();
    });
    message.append(button);
  };
  // A refusal (a licence that does not reach this territory, a title taken down) says the
  // server's reason and hint; trying again would not help, so no button.
  const refuse = (refusal) => {
    state.error = refusal.code || "refused";
    video.pause();
    if (refusal.message) say("player-refused", [refusal.message, refusal.hint], false);
    else fail("network");
  };
  // network: the master or a segment could not be fetched; media: this browser could not
  // decode what it fetched (another quality or browser may).
  const fail = (kind) => {
    state.error = state.error || kind;
    say("player-failed", [kind === "media" ? message.dataset.media : message.dataset.network], kind === "network");
  };

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

  // hls.js, or the browser's own HLS (player-engines.js); the menus talk only to it.
  const engine = state.engine = window.DastanPlayerEngine({
    video, master, renewAfterS, startS: saved,
    // The viewer's language first: the remembered choice, else the interface language.
    audioLanguage: store.get("audio") || interfaceLanguage,
    on: {
      tracks: (kind) => tracksChanged(kind),
      audioSwitched: () => markAudio(),
      levels: (heights) => levelsKnown(heights),
      ready: () => { state.ready = true; },
      refused: (refusal) => refuse(refusal),
      failed: (kind, detail) => {
        state.error = detail || kind;
        fail(kind);
      },
    },
  });
  if (!engine) {
    fail("media");
    return;
  }
  state.hls = engine.hls;
  state.links = engine.links.state;
  const links = engine.links;
  // The menus of what this engine cannot switch are not offered.
  root.querySelector("[data-menu=quality]").parentElement.hidden = !engine.choosesLevel;
  root.querySelector("[data-menu=audio]").parentElement.hidden = !engine.choosesAudio;
  state.audioLanguage = () => (engine.audio()[engine.audioIndex()] || {}).lang || "";
  const trackIndex = (tracks, el) => tracks.findIndex((t) => sameLanguage(t.lang, el.dataset.lang) && t.name === el.dataset.name);
  const markAudio = () => check("audio", (el) => trackIndex(engine.audio(), el) === engine.audioIndex());

  const chooseAudio = (index, remember) => {
    if (index < 0) return;
    engine.setAudio(index);
    markAudio();
    if (remember) store.set("audio", engine.audio()[index].lang);
  };
  const chooseSubtitles = (index, remember) => {
    const tracks = engine.subtitles();
    engine.setSubtitles(index);
    // The stylesheet sets the cue font by this language (Nastaliq for Urdu, …).
    root.dataset.subtitles = index >= 0 ? tracks[index].lang : "";
    check("subtitles", (el) => (index < 0 ? !el.dataset.lang : trackIndex(tracks, el) === index));
    if (remember) store.set("subtitles", index < 0 ? "off" : tracks[index].lang);
  };
  const chooseLevel = (level) => {
    engine.setLevel(level);
    check("quality", (el) => Number(el.dataset.level) === level);
  };

  // Menu entries the viewer's master does not carry (rights limits) are hidden; the
  // engine announces its tracks after the master is read.
  // A peer's film (data-remote): its tracks are known from its home node's master only,
  // so the menus are made from what the engine found there.
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
  const tracksChanged = (kind) => {
    const tracks = kind === "audio" ? engine.audio() : engine.subtitles();
    if (remote) fillMenu(kind, tracks);
    // Hidden, not removed: the browser's own HLS may announce a track later (addtrack).
    items(kind).forEach((el) => { el.parentElement.hidden = !!el.dataset.lang && trackIndex(tracks, el) < 0; });
    if (kind === "audio") {
      markAudio();
      return;
    }
    const subtitles = store.get("subtitles");
    if (subtitles && subtitles !== "off") {
      const index = tracks.findIndex((t) => sameLanguage(t.lang, subtitles));
      if (index >= 0) chooseSubtitles(index, false);
    }
  };
  const levelsKnown = (heights) => {
    const qualityList = root.querySelector("#menu-quality");
    heights.map((height, i) => [height, i]).sort((a, b) => b[0] - a[0]).forEach(([height, i]) => {
      const li = document.createElement("li");
      li.setAttribute("role", "none");
      li.innerHTML = `<button type="button" role="menuitemradio" aria-checked="false" data-kind="quality" data-level="${i}" dir="ltr">${height}p</button>`;
      qualityList.append(li);
    });
  };
  // A peer's film is asked for when the viewer presses play: each load is a grant its
  // home node decides on, so a page merely opened costs that node nothing.
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    engine.start();
  };
  if (!remote) start();

  root.addEventListener("click", (e) => {
    const item = e.target.closest("[role=menuitemradio]");
    if (!item) return;
    const kind = item.dataset.kind;
    if (kind === "audio") chooseAudio(trackIndex(engine.audio(), item), true);
    if (kind === "subtitles") chooseSubtitles(item.dataset.lang ? trackIndex(engine.subtitles(), item) : -1, true);
    if (kind === "quality") chooseLevel(Number(item.dataset.level));
    closeMenus(null);
    root.querySelector(`[data-menu=${kind}]`).focus();
  });

  // --- transport -----------------------------------------------------------------------
  const togglePlay = () => {
    if (!started) {
      engine.onceStarted(() => video.play().catch(() => { /* paused by the viewer */ }));
      return start();
    }
    return video.paused ? video.play().catch(() => { /* a failure reaches .player-message */ }) : video.pause();
  };
  const toggleMute = () => { video.muted = !video.muted; };
  const seekBy = (s) => { video.currentTime = Math.min(Math.max(0, video.currentTime + s), video.duration || 0); };
  // iOS Safari has no element full screen, only the video's own.
  const fullscreen = () => (document.fullscreenElement ? document.exitFullscreen()
    : root.requestFullscreen ? root.requestFullscreen() : video.webkitEnterFullscreen && video.webkitEnterFullscreen());
  const toggleSubtitles = () => {
    if (engine.subtitleIndex() >= 0) return chooseSubtitles(-1, true);
    const tracks = engine.subtitles();
    const wanted = store.get("subtitles") !== "off" && store.get("subtitles") || interfaceLanguage;
    const index = tracks.findIndex((t) => sameLanguage(t.lang, wanted));
    return chooseSubtitles(index >= 0 ? index : (tracks.length ? 0 : -1), true);
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
  // The time is shown as a clock and said, on the seek bar, in words: "1 minute, 5
  // seconds of 3 minutes" (data-valuetext, translated, with {position} and {duration}).
  const showTime = (at = video.currentTime) => {
    time.textContent = clock(at) + " / " + clock(video.duration);
    seek.setAttribute("aria-valuetext", seek.dataset.valuetext
      .replace("{position}", spoken(at)).replace("{duration}", spoken(video.duration)));
  };
  video.addEventListener("timeupdate", () => {
    if (document.activeElement !== seek) seek.value = video.currentTime;
    showTime();
    if (Math.abs(video.currentTime - lastSaved) >= 1) {
      lastSaved = video.currentTime;
      store.set(resumeKey, video.ended ? "0" : video.currentTime.toFixed(1));
    }
  });
  video.addEventListener("durationchange", () => { seek.max = video.duration || 0; showTime(); });
  video.addEventListener("seeked", () => showTime());
  seek.addEventListener("input", () => {
    video.currentTime = Number(seek.value);
    showTime(Number(seek.value));
  });

  // Keys act only while focus is inside the player (WCAG 2.1.4: a single-key shortcut
  // must not fire while the viewer types or reads elsewhere on the page); a click on the
  // picture focuses the player (tabindex=-1). Arrows follow the timeline, which runs left
  // to right in every language.
  root.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target;
    if (target.closest("form, select, textarea") || (target.tagName === "INPUT" && target !== seek)) return;
    if (target.getAttribute("role") === "menuitemradio") {
      const list = [...target.closest("[role=menu]").querySelectorAll("li:not([hidden]) > button")];
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
