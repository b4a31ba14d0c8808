// Enhancements only: every page works without this script.
(function () {
  "use strict";
  // The error summary takes focus, so a screen reader reads it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Autosave: a section's form is saved in the background a moment after typing stops;
  // the status line (role=status) says when. Pressing "save" still saves and checks all.
  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), function (form) {
    var status = form.querySelector("[data-autosave-status]");
    var version = form.querySelector("[data-version]");
    var timer = null;
    var busy = false;
    var waiting = false;  // a button was pressed while a background save was under way
    var pressed = null;
    function save() {
      if (busy) { timer = window.setTimeout(save, 1000); return; }
      busy = true;
      var body = new URLSearchParams(new FormData(form));
      window.fetch(form.action, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "fundflow-autosave": "1" }
      }).then(function (answer) {
        return answer.json().then(function (result) {
          if (result.saved) {
            version.value = result.version;
            status.textContent = status.getAttribute("data-saved").replace("{time}", result.at);
          } else {
            status.textContent = status.getAttribute(result.conflict ? "data-conflict" : "data-not-saved");
          }
        });
      }).catch(function () { /* offline: the save button still works */ })
        .then(function () {
          busy = false;
          // Sent now, with the version the background save left: no false conflict.
          if (waiting) { waiting = false; form.requestSubmit(pressed || undefined); }
        });
    }
    function later() {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, 2000);
    }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    form.addEventListener("submit", function (event) {
      if (timer) { window.clearTimeout(timer); timer = null; }
      if (busy) { event.preventDefault(); waiting = true; pressed = event.submitter || null; }
    });
  });

  // A file over the limit is refused before it is sent, not after minutes of upload.
  Array.prototype.forEach.call(document.querySelectorAll("input[data-max-bytes]"), function (input) {
    input.addEventListener("change", function () {
      var limit = Number(input.getAttribute("data-max-bytes"));
      var file = input.files && input.files[0];
      input.setCustomValidity(file && file.size > limit ? input.getAttribute("data-too-large") : "");
      input.reportValidity();
    });
  });

  // Warn two minutes before the session ends for inactivity (WCAG 2.2.1).
  var notice = document.querySelector("[data-idle-until]");
  if (!notice) { return; }
  var warning = notice.querySelector(".session-notice__warning");
  var until = Date.parse(notice.getAttribute("data-idle-until"));
  var warnAt = until - 2 * 60 * 1000 - Date.now();
  if (!warning || isNaN(until)) { return; }
  window.setTimeout(function () {
    warning.hidden = false;
    warning.textContent = warning.getAttribute("data-message");
  }, Math.max(warnAt, 0));
})();
