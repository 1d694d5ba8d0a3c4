/* The studio's desk: the upload page (tus-js-client, resumable, sha256 per chunk) and the
   pipeline page (polls the film's jobs and redraws them). Plain script, no build step. */
(function () {
  "use strict";

  function fill(template, values) {
    /* Python-style placeholders, as the translators see them: %(name)s and %% */
    return template.replace(/%\((\w+)\)s|%%/g, function (match, key) {
      return key === undefined ? "%" : String(values[key]);
    });
  }

  function mb(bytes) { return (bytes / (1024 * 1024)).toFixed(1); }

  function base64(buffer) {
    var bytes = new Uint8Array(buffer), text = "";
    for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    return btoa(text);
  }

  /* ---- upload page ---- */
  function setupUpload(form) {
    var strings = JSON.parse(document.getElementById("upload-strings").textContent);
    var fileInput = document.getElementById("film-file");
    var bar = document.getElementById("upload-bar");
    var bytesLine = document.getElementById("upload-bytes");
    var status = document.getElementById("upload-status");
    var errorBox = document.getElementById("upload-error");
    var startButton = document.getElementById("upload-start");
    var pauseButton = document.getElementById("upload-pause");
    var resumeButton = document.getElementById("upload-resume");
    var chunkBytes = parseInt(form.dataset.chunkBytes, 10);
    var wantsChecksum = form.dataset.checksum === "sha256" && window.crypto && window.crypto.subtle;
    var upload = null, file = null;

    function showProgress(sent, total) {
      var percent = total ? Math.floor((sent / total) * 100) : 0;
      bar.value = percent;
      if (status.textContent === strings.retrying || status.textContent === strings.offline) {
        status.textContent = strings.uploading;  /* bytes flow again */
      }
      bytesLine.textContent = fill(strings.progress, { sent: mb(sent), total: mb(total), percent: percent });
    }

    function showError(error) {
      var body = null;
      try { body = JSON.parse(error.originalResponse.getBody()); } catch (e) { body = null; }
      errorBox.textContent = "";
      var message = document.createElement("p");
      message.className = "error-message";
      message.textContent = (body && body.message) || strings.failed;
      var hint = document.createElement("p");
      hint.className = "error-hint";
      var label = document.createElement("strong");
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
      var offset = parseInt(req.getHeader("Upload-Offset"), 10);
      var chunk = file.slice(offset, Math.min(offset + chunkBytes, file.size));
      return chunk.arrayBuffer().then(function (data) {
        return window.crypto.subtle.digest("SHA-256", data);
      }).then(function (digest) {
        req.setHeader("Upload-Checksum", "sha256 " + base64(digest));
      });
    }

    function retryable(error) {
      var code = error.originalResponse ? error.originalResponse.getStatus() : 0;
      var again = code === 0 || code >= 500 || code === 409 || code === 423 || code === 460;
      if (again) status.textContent = navigator.onLine ? strings.retrying : strings.offline;
      return again;
    }

    function begin() {
      upload.findPreviousUploads().then(function (previous) {
        if (previous.length) {
          upload.resumeFromPreviousUpload(previous[0]);
        }
        status.textContent = strings.uploading;
        upload.start();
      });
    }

    form.addEventListener("submit", function (event) {
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

    pauseButton.addEventListener("click", function () {
      if (!upload) return;
      upload.abort();
      pauseButton.disabled = true;
      resumeButton.disabled = false;
      status.textContent = strings.paused;
    });

    resumeButton.addEventListener("click", function () {
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
    var list = document.getElementById("jobs");
    var template = document.getElementById("job-template");
    var token = document.querySelector("#publish-form [name=csrfmiddlewaretoken]").value;
    var pollMs = parseInt(section.dataset.pollMs, 10) || 1000;

    function drawJob(item, job) {
      item.className = "job job-" + job.state;
      item.dataset.jobId = job.id;
      item.querySelector(".job-id").textContent = "#" + job.id;
      item.querySelector(".job-label").textContent = job.label;
      item.querySelector(".job-state").textContent = job.state_label;
      var bar = item.querySelector(".job-bar");
      bar.value = job.progress;
      bar.setAttribute("aria-label", job.label);
      item.querySelector(".job-progress").textContent = job.progress + " %";
      item.querySelector(".job-message").textContent = job.message;
      item.querySelector(".job-attempts").textContent = job.attempts + "/" + job.max_attempts;
      item.querySelector(".job-worker").textContent = job.worker || "—";
      var error = item.querySelector(".job-error");
      error.hidden = !job.error_message;
      error.querySelector(".error-message").textContent = job.error_message;
      error.querySelector(".job-hint").textContent = job.error_hint;
      var retry = item.querySelector(".retry-form"), cancel = item.querySelector(".cancel-form");
      retry.action = section.dataset.retryUrl.replace("/0/", "/" + job.id + "/");
      cancel.action = section.dataset.cancelUrl.replace("/0/", "/" + job.id + "/");
      retry.hidden = !job.can_retry;
      cancel.hidden = !job.can_cancel;
      item.querySelectorAll("[name=csrfmiddlewaretoken]").forEach(function (input) { input.value = token; });
    }

    /* A long film's chunks: one row each, with who runs it and whether it was verified. */
    var chunkSection = document.getElementById("chunks");
    function drawChunk(row, chunk) {
      row.className = "chunk chunk-" + chunk.state + (chunk.remote ? " chunk-remote" : "");
      row.dataset.jobId = chunk.job_id;
      row.querySelector(".chunk-number").textContent = chunk.number;
      row.querySelector(".chunk-span").textContent = chunk.span;
      row.querySelector(".chunk-state").textContent = chunk.state_label;
      var bar = row.querySelector(".chunk-bar");
      bar.value = chunk.percent;
      bar.setAttribute("aria-label", bar.getAttribute("aria-label").replace(/\s*\S*$/, " " + chunk.number));
      row.querySelector(".chunk-percent").textContent = chunk.percent + " %";
      row.querySelector(".chunk-worker").textContent = chunk.worker || "—";
      row.querySelector(".chunk-where").textContent = chunk.where;
      row.querySelector(".chunk-verification").textContent = chunk.verification_label;
      row.querySelector(".chunk-attempts").textContent = chunk.attempts;
      var retry = row.querySelector(".chunk-retry");
      retry.action = section.dataset.retryUrl.replace("/0/", "/" + chunk.job_id + "/");
      retry.hidden = !chunk.can_retry;
      row.querySelectorAll("[name=csrfmiddlewaretoken]").forEach(function (input) { input.value = token; });
    }

    function drawChunks(chunks) {
      chunkSection.hidden = !chunks;
      if (!chunks) return;
      document.getElementById("chunks-summary").textContent = chunks.summary;
      var body = document.getElementById("chunk-rows"), rows = {};
      body.querySelectorAll("tr.chunk").forEach(function (tr) { rows[tr.dataset.jobId] = tr; });
      chunks.rows.forEach(function (chunk) {
        var row = rows[chunk.job_id];
        if (!row) {
          row = document.getElementById("chunk-template").content.firstElementChild.cloneNode(true);
          body.appendChild(row);
        }
        drawChunk(row, chunk);
      });
    }

    function draw(data) {
      drawChunks(data.chunks);
      var state = data.state;
      document.getElementById("film-summary").className = "film-summary film-" + state.kind;
      document.getElementById("film-state").textContent = state.sentence;
      var filmBar = document.getElementById("film-bar");
      filmBar.value = state.percent;
      filmBar.hidden = state.kind !== "processing";
      var hint = document.getElementById("film-hint");
      hint.hidden = !state.hint;
      hint.querySelector("span").textContent = state.hint;
      document.getElementById("publish-form").hidden = !data.can_publish;
      document.getElementById("unpublish-form").hidden = !data.can_unpublish;
      if (!data.jobs.length) return;
      var existing = {};
      list.querySelectorAll("li.job").forEach(function (li) { existing[li.dataset.jobId] = li; });
      list.querySelectorAll("li.empty").forEach(function (li) { li.remove(); });
      data.jobs.forEach(function (job) {
        var item = existing[job.id];
        if (!item) {
          item = template.content.firstElementChild.cloneNode(true);
          list.appendChild(item);
        }
        drawJob(item, job);
      });
    }

    var busy = true;
    function poll() {
      fetch(section.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) return;
          draw(data);
          busy = data.jobs.some(function (job) { return job.can_cancel; });
        })
        .catch(function () { /* offline for a moment: the next poll catches up */ })
        /* Every second while something runs; a new job (another upload, a dub) is
           still noticed when all is quiet, five times less often. */
        .then(function () { window.setTimeout(poll, busy ? pollMs : pollMs * 5); });
    }
    window.setTimeout(poll, pollMs);
  }

  var form = document.getElementById("upload-form");
  if (form) setupUpload(form);
  var section = document.getElementById("pipeline");
  if (section) setupPipeline(section);
})();
