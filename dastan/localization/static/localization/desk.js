// The review desk: the film plays at each cue's time. Plain hls.js, no framework.
(() => {
  "use strict";
  const video = document.getElementById("desk-player");
  if (!video) return;
  const src = video.dataset.src;
  if (window.Hls && Hls.isSupported()) {
    const hls = new Hls();
    hls.loadSource(src);
    hls.attachMedia(video);
    window.deskHls = hls;
  } else {
    video.src = src;
  }
  document.querySelectorAll("button.seek").forEach((button) => {
    button.addEventListener("click", () => {
      video.currentTime = Number(button.dataset.startMs) / 1000;
      video.play();
    });
  });
})();
