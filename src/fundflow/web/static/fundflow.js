// Enhancements only: every page works without this script.
(function () {
  "use strict";
  // The error summary takes focus, so a screen reader reads it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

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
