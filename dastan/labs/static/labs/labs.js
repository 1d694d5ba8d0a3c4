// Labs pages: the viewer's time zone (for deadlines in their clock), private screeners with
// a per-viewer watermark, and timecoded notes that seek the player.
(() => {
  "use strict";
  const TZ_COOKIE = "dastan_tz";

  // The call page shows the deadline in the viewer's zone: the browser says which it is.
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const hasCookie = document.cookie.split("; ").some((c) => c.startsWith(`${TZ_COOKIE}=`));
  if (!hasCookie) {
    document.cookie = `${TZ_COOKIE}=${encodeURIComponent(zone)}; path=/; SameSite=Lax; max-age=31536000`;
    const needs = document.querySelector("[data-needs-tz]");
    if (needs && document.cookie.includes(`${TZ_COOKIE}=`)) { window.location.reload(); return; }
  }
  document.querySelectorAll("[data-fill-tz]").forEach((input) => { input.value = zone; });

  const pad = (n) => String(n).padStart(2, "0");
  const stamp = () => {
    const d = new Date();
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
  };
  const timecode = (s) => {
    const whole = Math.floor(s);
    return `${Math.floor(whole / 60)}:${pad(whole % 60)}${s % 1 ? `.${Math.floor((s % 1) * 10)}` : ""}`;
  };

  const players = [];
  document.querySelectorAll(".labs-player[data-master]").forEach((box) => {
    const video = box.querySelector("video");
    const mark = box.querySelector(".labs-watermark");
    const state = { ready: false, error: null, video };
    players.push(state);
    // The watermark: who is watching and when, moved around the picture so no crop removes it.
    const spots = [["8%", "10%"], ["60%", "18%"], ["20%", "70%"], ["55%", "62%"]];
    let spot = 0;
    const draw = () => { mark.textContent = `${box.dataset.watermark} · ${stamp()}`; };
    draw();
    setInterval(draw, 1000);
    setInterval(() => {
      spot = (spot + 1) % spots.length;
      [mark.style.insetInlineStart, mark.style.top] = spots[spot];
    }, 8000);
    const ready = () => { state.ready = true; };
    video.addEventListener("loadedmetadata", ready);
    if (window.Hls && window.Hls.isSupported()) {
      // Screener links live minutes, like the public player's: signed-links.js renews them
      // at half their age through the screener's master (which asks again whether this
      // person may still watch) and stops the player with the reason when that is refused.
      let hls = null;
      const links = window.DastanSignedLinks(window.Hls, {
        master: box.dataset.master, renewAfterS: Number(box.dataset.renewS) || 60, path: "/labs/s/",
        onRefused: (refusal) => {
          state.error = refusal.code || "refused";
          if (hls) hls.stopLoad();
          video.pause();
          const note = document.createElement("p");
          note.className = "labs-refused";
          note.setAttribute("role", "status");
          note.textContent = [refusal.message, refusal.hint].filter(Boolean).join(" ");
          box.append(note);
        },
      });
      state.links = links.state;
      hls = new window.Hls({ loader: links.loader, xhrSetup: (xhr) => { xhr.withCredentials = true; } });
      state.hls = hls;
      hls.on(window.Hls.Events.ERROR, (_e, data) => { if (data.fatal) state.error = state.error || data.details; });
      hls.loadSource(box.dataset.master);
      hls.attachMedia(video);
    } else {
      video.src = box.dataset.master;
    }
    const input = document.querySelector("[data-timecode-input]");
    if (input) video.addEventListener("pause", () => { input.value = timecode(video.currentTime); });
  });
  window.labsPlayers = players;

  // A note jumps the player to its timecode.
  document.querySelectorAll("[data-seek-ms]").forEach((button) => {
    button.addEventListener("click", () => {
      const player = players[0];
      if (!player) return;
      player.video.currentTime = Number(button.dataset.seekMs) / 1000;
      document.querySelectorAll(".labs-note").forEach((n) => n.classList.remove("labs-current"));
      button.closest(".labs-note").classList.add("labs-current");
      player.video.focus();
    });
  });
})();
