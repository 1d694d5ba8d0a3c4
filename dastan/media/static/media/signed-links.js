// Keeps a player's signed media links fresh (dastan/media/links.py). Every URI of one
// master shares one token that lives DASTAN_MEDIA_URL_TTL_S seconds and only works in
// this browser; before it is half-way through its life the next request first fetches
// the master again and from then on every /media/s/<token>/ URL (segments, playlists,
// subtitles, storyboard pictures) goes out with the fresh token. A refusal of the
// renewal (licence ended, title unpublished) is handed to onRefused and stops loading.
// `path` names where a page's grants live when they are not the media app's own (labs'
// screeners are served under /labs/s/<token>/).
//
// The media app's master is asked for with ?links=edge: its renditions then come as folder
// links, /media/k/<signature>/<expires>/<folder>/<file> (dastan/media/edge_links.py), which
// the web server checks itself and which live only the re-check window (a minute); the
// master says when to renew them (net.dastan.media.renew-s) and carries the grant's token
// (net.dastan.media.grant) for the poster and storyboard. Each URL of a folder is rewritten
// with that folder's freshest link.
(() => {
  "use strict";

  const FOLDER_LINK = /\/media\/k\/([A-Za-z0-9_-]+)\/(\d+)\/((?:[^/\s"]+\/)+)/g;
  const RENEW_S = /DATA-ID="net\.dastan\.media\.renew-s",VALUE="(\d+)"/;

  window.DastanSignedLinks = (Hls, { master, renewAfterS, onRefused, path = "/media/s/" }) => {
    const TOKEN = new RegExp(`${path.replace(/[/.]/g, "\\$&")}([^/]+)/`);
    // Only the media app's master offers folder links; others ignore the query.
    const asked = path === "/media/s/" ? `${master}${master.includes("?") ? "&" : "?"}links=edge` : master;
    const absolute = (url) => new URL(url, window.location.href).href;  // what hls.js asks for
    let token = null;
    let learnedAt = 0;
    let pending = null;
    let renewS = renewAfterS;
    const folders = new Map();  // folder -> "<signature>/<expires>"
    const state = { renewals: 0, refused: null };

    const learn = (text) => {
      const found = TOKEN.exec(text);
      if (found) { token = found[1]; learnedAt = Date.now(); }
      for (const [, signature, expires, folder] of text.matchAll(FOLDER_LINK)) {
        folders.set(folder, `${signature}/${expires}`);
        learnedAt = Date.now();
      }
      const renew = RENEW_S.exec(text);
      renewS = renew ? Math.min(renewAfterS, Number(renew[1])) : renewAfterS;
    };
    const renew = () => {
      pending = pending || fetch(asked, { credentials: "same-origin", cache: "no-store" })
        .then(async (response) => {
          if (!response.ok) {
            const body = await response.json().catch(() => ({}));
            state.refused = { status: response.status, ...body };
            if (onRefused) onRefused(state.refused);
            throw new Error(body.message || `renewal refused (${response.status})`);
          }
          learn(await response.text());
          state.renewals += 1;
        })
        .finally(() => { pending = null; });
      return pending;
    };
    const fresh = () => (!learnedAt || Date.now() - learnedAt < renewS * 1000 ? Promise.resolve() : renew());
    const rewrite = (url) => {
      if (url === master || url === absolute(master)) return absolute(asked);
      const folder = /\/media\/k\/[A-Za-z0-9_-]+\/\d+\/((?:[^/]+\/)+)[^/]*$/.exec(url);
      if (folder && folders.has(folder[1])) {
        return url.replace(/\/media\/k\/[A-Za-z0-9_-]+\/\d+\//, `/media/k/${folders.get(folder[1])}/`);
      }
      return token ? url.replace(TOKEN, `${path}${token}/`) : url;
    };

    // hls.js's own loader, wrapped: wait for a fresh token, rewrite the URL, and after a
    // 403 (expired, or the cookie changed in another tab) renew once and try again.
    const Base = Hls.DefaultConfig.loader;
    class Loader {
      constructor(config) { this.config = config; this.inner = new Base(config); this.aborted = false; }
      get stats() { return this.inner.stats; }
      get context() { return this.inner.context; }
      getResponseHeader(name) { return this.inner.getResponseHeader ? this.inner.getResponseHeader(name) : null; }
      getCacheAge() { return this.inner.getCacheAge ? this.inner.getCacheAge() : null; }
      abort() { this.aborted = true; this.inner.abort(); }
      destroy() { this.aborted = true; this.inner.destroy(); }
      load(context, config, callbacks) {
        let retried = false;
        const go = () => {
          if (this.aborted) return;
          context.url = rewrite(context.url);
          this.inner.load(context, config, wrapped);
        };
        const wrapped = {
          ...callbacks,
          onSuccess: (response, stats, ctx, details) => {
            if (context.type === "manifest" && typeof response.data === "string") learn(response.data);
            callbacks.onSuccess(response, stats, ctx, details);
          },
          onError: (error, ctx, details, stats) => {
            // The master itself refused (a licence, a peer's film its home node will not
            // play here): its JSON reason goes to onRefused, as a refused renewal's does.
            // A server error (5xx) is no refusal: hls.js reports it, and the viewer may retry.
            if (context.type === "manifest" && error.code >= 400 && error.code < 500 && !state.refused && onRefused) {
              let body = {};
              try { body = JSON.parse((details && details.responseText) || "{}"); } catch (e) { /* not JSON */ }
              state.refused = { status: error.code, ...body };
              onRefused(state.refused);
            }
            if (error.code !== 403 || retried || context.type === "manifest" || state.refused) {
              callbacks.onError(error, ctx, details, stats);
              return;
            }
            retried = true;
            this.inner = new Base(this.config);  // a loader is used once
            renew().then(go, () => callbacks.onError(error, ctx, details, stats));
          },
        };
        fresh().then(go, () => { if (!this.aborted) callbacks.onError({ code: 451, text: "refused" }, context, null, this.inner.stats); });
      }
    }
    return { loader: Loader, rewrite, fresh, renew, state };
  };
})();
