// A minimal player for tests and the demo; the web app builds the real one
// (dastan/web/static/dastan/player.js). Links are renewed by signed-links.js.
(() => {
  "use strict";
  const video = document.getElementById("player");
  const src = video.dataset.master;
  const state = window.dastanPlayer = { ready: false, error: null, links: null };
  if (window.Hls && Hls.isSupported()) {
    const links = window.DastanSignedLinks(Hls, {
      master: src, renewAfterS: Number(video.dataset.renewS) || 60,
      onRefused: (refusal) => { state.error = refusal.code || "refused"; hls.stopLoad(); },
    });
    state.links = links.state;
    const hls = new Hls({ loader: links.loader });
    window.hls = hls;
    hls.on(Hls.Events.MANIFEST_PARSED, () => { state.ready = true; });
    hls.on(Hls.Events.ERROR, (e, data) => { if (data.fatal) state.error = data.details; });
    hls.loadSource(src);
    hls.attachMedia(video);
  } else {
    video.src = src;  // Safari plays HLS natively
  }
})();
