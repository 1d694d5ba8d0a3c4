// The two ways the title page's player (player.js) plays a master playlist: hls.js over
// MediaSource, or the browser's own HLS where hls.js cannot run (iOS Safari has no
// MediaSource). Both offer the same calls, so the menus and keys talk only to an engine;
// tracks are { lang, name } in the master's order. What happens is told through `on`:
// tracks(kind), audioSwitched(), levels(heights), ready(), refused({code, message, hint}),
// failed("network" | "media", detail).
(() => {
  "use strict";

  const hlsEngine = ({ video, master, renewAfterS, startS, audioLanguage, on }) => {
    // Media links live minutes (DASTAN_MEDIA_URL_TTL_S): signed-links.js renews them while
    // the film plays, and stops the player with the reason when renewal is refused (a
    // licence revoked or ended, a title taken down).
    const links = window.DastanSignedLinks(Hls, {
      master, renewAfterS, onRefused: (refusal) => { hls.stopLoad(); on.refused(refusal); },
    });
    // hls.js applies the audio preference when it picks the initial track, before any
    // audio loads.
    const hls = new Hls({ startPosition: startS > 1 ? startS : -1, subtitleDisplay: false,
      audioPreference: { lang: audioLanguage }, loader: links.loader });
    let recoveredAt = null;  // the film's time at the last recovery
    hls.on(Hls.Events.AUDIO_TRACKS_UPDATED, () => { on.tracks("audio"); on.ready(); });
    hls.on(Hls.Events.SUBTITLE_TRACKS_UPDATED, () => on.tracks("subtitles"));
    hls.on(Hls.Events.MANIFEST_PARSED, () => on.levels(hls.levels.map((l) => l.height)));
    hls.on(Hls.Events.AUDIO_TRACK_SWITCHED, () => on.audioSwitched());

    hls.on(Hls.Events.ERROR, (e, data) => {
      if (!data.fatal || links.state.refused) return;  // a refusal has said why
      // hls.js's advice: a decoding error is first answered by resetting the media. Again
      // only once the film has played on since: fragments that never parse would otherwise
      // be recovered from for ever (hls.js reports them buffered all the same).
      if (data.type === Hls.ErrorTypes.MEDIA_ERROR && (recoveredAt === null || video.currentTime > recoveredAt + 1)) {
        recoveredAt = video.currentTime;
        hls.recoverMediaError();
        return;
      }
      on.failed(data.type === Hls.ErrorTypes.MEDIA_ERROR ? "media" : "network", data.details);
    });
    return {
      hls,
      links,
      choosesAudio: true,
      choosesLevel: true,
      audio: () => hls.audioTracks,
      audioIndex: () => hls.audioTrack,
      setAudio: (index) => { hls.audioTrack = index; },
      subtitles: () => hls.subtitleTracks,
      subtitleIndex: () => (hls.subtitleDisplay ? hls.subtitleTrack : -1),
      setSubtitles: (index) => {
        hls.subtitleTrack = index;
        hls.subtitleDisplay = index >= 0;
        if (index < 0) [...video.textTracks].forEach((t) => { if (t.kind !== "metadata") t.mode = "disabled"; });
      },
      setLevel: (level) => { hls.currentLevel = level; },  // -1: automatic, by measured bandwidth
      start: () => { hls.loadSource(master); hls.attachMedia(video); },
      onceStarted: (then) => hls.once(Hls.Events.MANIFEST_PARSED, then),
      // A master never loaded is asked for again; otherwise loading goes on where it stopped.
      retry: () => (hls.levels && hls.levels.length ? hls.startLoad(video.currentTime) : hls.loadSource(master)),
    };
  };

  // The browser fetches the master and everything in it, so the engine offers what
  // HTMLMediaElement exposes: audioTracks where the browser has them (Safari), text
  // tracks, no quality. The master is fetched first to learn a refusal's reason, which a
  // <video> error would not carry, and again (fresh links) when a link has expired.
  const nativeEngine = ({ video, master, renewAfterS, startS, on }) => {
    const texts = () => [...video.textTracks].filter((t) => t.kind === "subtitles" || t.kind === "captions");
    const audios = () => [...(video.audioTracks || [])];
    let loadedAt = 0;
    let started = false;
    const load = (at) => fetch(master, { credentials: "same-origin", cache: "no-store" }).then(async (response) => {
      if (!response.ok && response.status < 500) return on.refused(await response.json().catch(() => ({})));
      if (!response.ok) throw new Error(`master ${response.status}`);
      loadedAt = Date.now();
      video.src = master;
      if (at > 1) video.addEventListener("loadedmetadata", () => { video.currentTime = at; }, { once: true });
      return undefined;
    }).catch((error) => on.failed("network", String(error)));
    video.addEventListener("loadedmetadata", () => {
      on.tracks("audio");
      on.tracks("subtitles");
      on.ready();
    });
    video.textTracks.addEventListener("addtrack", () => on.tracks("subtitles"));
    if (video.audioTracks) {
      video.audioTracks.addEventListener("addtrack", () => on.tracks("audio"));
      video.audioTracks.addEventListener("change", () => on.audioSwitched());
    }
    video.addEventListener("error", () => {
      const code = video.error ? video.error.code : 0;
      // Links older than their renewal age have likely expired: fetch fresh ones once.
      if (code === MediaError.MEDIA_ERR_NETWORK && Date.now() - loadedAt > renewAfterS * 1000) return load(video.currentTime);
      return on.failed(code === MediaError.MEDIA_ERR_NETWORK ? "network" : "media", `media-error-${code}`);
    });
    return {
      hls: null,
      links: { rewrite: (url) => url, fresh: () => Promise.resolve(), state: {} },
      choosesAudio: !!video.audioTracks,
      choosesLevel: false,
      audio: () => audios().map((t) => ({ lang: t.language, name: t.label })),
      audioIndex: () => audios().findIndex((t) => t.enabled),
      setAudio: (index) => audios().forEach((t, i) => { t.enabled = i === index; }),
      subtitles: () => texts().map((t) => ({ lang: t.language, name: t.label })),
      subtitleIndex: () => texts().findIndex((t) => t.mode === "showing"),
      setSubtitles: (index) => texts().forEach((t, i) => { t.mode = i === index ? "showing" : "disabled"; }),
      setLevel: () => {},
      start: () => { started = true; load(startS); },
      onceStarted: (then) => video.addEventListener("loadedmetadata", then, { once: true }),
      retry: () => load(started ? video.currentTime : startS),
    };
  };

  // hls.js wherever MediaSource runs (it can renew signed links and choose renditions);
  // else the browser's own HLS; else null (no way to play HLS here).
  window.DastanPlayerEngine = (options) => {
    if (window.Hls && Hls.isSupported()) return hlsEngine(options);
    if (options.video.canPlayType("application/vnd.apple.mpegurl")) return nativeEngine(options);
    return null;
  };
})();
