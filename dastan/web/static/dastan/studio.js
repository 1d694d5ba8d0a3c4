// The studio's desk: the upload page (tus-js-client, resumable, sha256 per chunk) and the
// pipeline page (polls the film's jobs and redraws them). Plain script, no build step.
(() => {
  "use strict";

  function fill(template, values) {
    /* Python-style placeholders, as the translators see them: %(name)s and %% */
    return template.replace(/%\((\w+)\)s|%%/g, (match, key) => {
      return key === undefined ? "%" : String(values[key]);
    });
  }

  function mb(bytes) { return (bytes / (1024 * 1024)).toFixed(1); }

  function base64(buffer) {
    const bytes = new Uint8Array(buffer);
    let text = "";
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  }

  /* ---- upload page ---- */
  function setupUpload(form) {
    const strings = JSON.parse(document.getElementById("upload-strings").textContent);
    const fileInput = document.getElementById("film-file");
    const bar = document.getElementById("upload-bar");
    const bytesLine = document.getElementById("upload-bytes");
    const status = document.getElementById("upload-status");
    const errorBox = document.getElementById("upload-error");
    const startButton = document.getElementById("upload-start");
    const pauseButton = document.getElementById("upload-pause");
    const resumeButton = document.getElementById("upload-resume");
    const chunkBytes = parseInt(form.dataset.chunkBytes, 10);
    const wantsChecksum = form.dataset.checksum === "sha256" && window.crypto && window.crypto.subtle;
    let upload = null, file = null;

    function showProgress(sent, total) {
      const percent = total ? Math.floor((sent / total) * 100) : 0;
      bar.value = percent;
      if (status.textContent === strings.retrying || status.textContent === strings.offline) {
        status.textContent = strings.uploading;  /* bytes flow again */
      }
      bytesLine.textContent = fill(strings.progress, { sent: mb(sent), total: mb(total), percent: percent });
    }

    function showError(error) {
      let body = null;
      try { body = JSON.parse(error.originalResponse.getBody()); } catch (e) { body = null; }
      errorBox.textContent = "";
      const message = document.createElement("p");
      message.className = "error-message";
      message.textContent = (body && body.message) || strings.failed;
      const hint = document.createElement("p");
      hint.className = "error-hint";
      const label = document.createElement("strong");
      label.textContent = strings.what_to_do + " ";
      hint.appendChild(label);
      hint.appendChild(document.createTextNode((body && body.hint) || strings.generic_hint));
      errorBox.appendChild(message);
      errorBox.appendChild(hint);
      errorBox.hidden = false;
    }

    /* The server keeps a chunk only if its sha256 matches (tus checksum extension). */
    function addChecksum(req) {
      if (!wantsChecksum || req.getMethod() !== "PATCH") return Promise.resolve();
      const offset = parseInt(req.getHeader("Upload-Offset"), 10);
      const chunk = file.slice(offset, Math.min(offset + chunkBytes, file.size));
      return chunk.arrayBuffer().then((data) => {
        return window.crypto.subtle.digest("SHA-256", data);
      }).then((digest) => {
        req.setHeader("Upload-Checksum", "sha256 " + base64(digest));
      });
    }

    function retryable(error) {
      const code = error.originalResponse ? error.originalResponse.getStatus() : 0;
      const again = code === 0 || code >= 500 || code === 409 || code === 423 || code === 460;
      if (again) status.textContent = navigator.onLine ? strings.retrying : strings.offline;
      return again;
    }

    function begin() {
      upload.findPreviousUploads().then((previous) => {
        if (previous.length) {
          upload.resumeFromPreviousUpload(previous[0]);
        }
        status.textContent = strings.uploading;
        upload.start();
      });
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      file = fileInput.files[0];
      if (!file) return;
      errorBox.hidden = true;
      upload = new tus.Upload(file, {
        endpoint: form.dataset.endpoint,
        chunkSize: chunkBytes,
        retryDelays: [0, 1000, 2000, 4000, 8000, 15000, 30000],
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        metadata: { filename: file.name, filetype: file.type || "application/octet-stream", title: form.dataset.title },
        /* The server refuses a cookie-only tus request: another site could send one. */
        headers: { "X-CSRFToken": form.querySelector("input[name=csrfmiddlewaretoken]").value },
        onBeforeRequest: addChecksum,
        onShouldRetry: retryable,
        onProgress: showProgress,
        onError: function (error) {
          pauseButton.disabled = true;
          resumeButton.disabled = false;
          if (!navigator.onLine) {
            status.textContent = strings.offline;
            window.addEventListener("online", function again() {
              window.removeEventListener("online", again);
              status.textContent = strings.uploading;
              resumeButton.disabled = true;
              pauseButton.disabled = false;
              upload.start();
            });
            return;
          }
          status.textContent = strings.failed;
          showError(error);
        },
        onSuccess: function () {
          showProgress(file.size, file.size);
          status.textContent = strings.done;
          pauseButton.disabled = resumeButton.disabled = true;
          window.location.assign(form.dataset.next);
        }
      });
      startButton.disabled = true;
      pauseButton.disabled = false;
      begin();
    });

    pauseButton.addEventListener("click", () => {
      if (!upload) return;
      upload.abort();
      pauseButton.disabled = true;
      resumeButton.disabled = false;
      status.textContent = strings.paused;
    });

    resumeButton.addEventListener("click", () => {
      if (!upload) return;
      errorBox.hidden = true;
      resumeButton.disabled = true;
      pauseButton.disabled = false;
      status.textContent = strings.uploading;
      upload.start();
    });
  }

  /* ---- pipeline page ---- */
  function setupPipeline(section) {
    const list = document.getElementById("jobs");
    const template = document.getElementById("job-template");
    const token = document.querySelector("#publish-form [name=csrfmiddlewaretoken]").value;
    const pollMs = parseInt(section.dataset.pollMs, 10) || 1000;

    function drawJob(item, job) {
      item.className = "job job-" + job.state;
      item.dataset.jobId = job.id;
      item.querySelector(".job-id").textContent = "#" + job.id;
      item.querySelector(".job-label").textContent = job.label;
      item.querySelector(".job-state").textContent = job.state_label;
      const bar = item.querySelector(".job-bar");
      bar.value = job.progress;
      bar.setAttribute("aria-label", job.label);
      item.querySelector(".job-progress").textContent = job.progress + " %";
      item.querySelector(".job-message").textContent = job.message;
      item.querySelector(".job-attempts").textContent = job.attempts + "/" + job.max_attempts;
      item.querySelector(".job-worker").textContent = job.worker || "—";
      const error = item.querySelector(".job-error");
      error.hidden = !job.error_message;
      error.querySelector(".error-message").textContent = job.error_message;
      error.querySelector(".job-hint").textContent = job.error_hint;
      const retry = item.querySelector(".retry-form"), cancel = item.querySelector(".cancel-form");
      retry.action = section.dataset.retryUrl.replace("/0/", "/" + job.id + "/");
      cancel.action = section.dataset.cancelUrl.replace("/0/", "/" + job.id + "/");
      retry.hidden = !job.can_retry;
      cancel.hidden = !job.can_cancel;
      item.querySelectorAll("[name=csrfmiddlewaretoken]").forEach((input) => { input.value = token; });
    }

    /* A long film's chunks: one row each, with who runs it and whether it was verified. */
    const chunkSection = document.getElementById("chunks");
    function drawChunk(row, chunk) {
      row.className = "chunk chunk-" + chunk.state + (chunk.remote ? " chunk-remote" : "");
      row.dataset.jobId = chunk.job_id;
      row.querySelector(".chunk-number").textContent = chunk.number;
      row.querySelector(".chunk-span").textContent = chunk.span;
      row.querySelector(".chunk-state").textContent = chunk.state_label;
      const bar = row.querySelector(".chunk-bar");
      bar.value = chunk.percent;
      bar.setAttribute("aria-label", bar.getAttribute("aria-label").replace(/\s*\S*$/, " " + chunk.number));
      row.querySelector(".chunk-percent").textContent = chunk.percent + " %";
      row.querySelector(".chunk-worker").textContent = chunk.worker || "—";
      row.querySelector(".chunk-where").textContent = chunk.where;
      row.querySelector(".chunk-verification").textContent = chunk.verification_label;
      row.querySelector(".chunk-attempts").textContent = chunk.attempts;
      const retry = row.querySelector(".chunk-retry");
      retry.action = section.dataset.retryUrl.replace("/0/", "/" + chunk.job_id + "/");
      retry.hidden = !chunk.can_retry;
      row.querySelectorAll("[name=csrfmiddlewaretoken]").forEach((input) => { input.value = token; });
    }

    function drawChunks(chunks) {
      chunkSection.hidden = !chunks;
      if (!chunks) return;
      document.getElementById("chunks-summary").textContent = chunks.summary;
      const body = document.getElementById("chunk-rows"), rows = {};
      body.querySelectorAll("tr.chunk").forEach((tr) => { rows[tr.dataset.jobId] = tr; });
      chunks.rows.forEach((chunk) => {
        let row = rows[chunk.job_id];
        if (!row) {
          row = document.getElementById("chunk-template").content.firstElementChild.cloneNode(true);
          body.appendChild(row);
        }
        drawChunk(row, chunk);
      });
    }

    function draw(data) {
      drawChunks(data.chunks);
      const state = data.state;
      document.getElementById("film-summary").className = "film-summary film-" + state.kind;
      document.getElementById("film-state").textContent = state.sentence;
      const filmBar = document.getElementById("film-bar");
      filmBar.value = state.percent;
      filmBar.hidden = state.kind !== "processing";
      const hint = document.getElementById("film-hint");
      hint.hidden = !state.hint;
      hint.querySelector("span").textContent = state.hint;
      document.getElementById("publish-form").hidden = !data.can_publish;
      document.getElementById("unpublish-form").hidden = !data.can_unpublish;
      if (!data.jobs.length) return;
      const existing = {};
      list.querySelectorAll("li.job").forEach((li) => { existing[li.dataset.jobId] = li; });
      list.querySelectorAll("li.empty").forEach((li) => { li.remove(); });
      data.jobs.forEach((job) => {
        let item = existing[job.id];
        if (!item) {
          item = template.content.firstElementChild.cloneNode(true);
          list.appendChild(item);
        }
        drawJob(item, job);
      });
    }

    let busy = true;
    function poll() {
      fetch(section.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then((response) => { return response.ok ? response.json() : null; })
        .then((data) => {
          if (!data) return;
          draw(data);
          busy = data.jobs.some((job) => { return job.can_cancel; });
        })
        .catch(() => { /* offline for a moment: the next poll catches up */ })
        /* Every second while something runs; a new job (another upload, a dub) is
           still noticed when all is quiet, five times less often. */
        .then(() => { window.setTimeout(poll, busy ? pollMs : pollMs * 5); });
    }
    window.setTimeout(poll, pollMs);
  }

  const form = document.getElementById("upload-form");
  if (form) setupUpload(form);
  const section = document.getElementById("pipeline");
  if (section) setupPipeline(section);
})();
