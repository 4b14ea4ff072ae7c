// The idle-timeout warning of signed-on pages (templates/base.html). The page works without
// it: the server ends an idle sign-on either way, and its login page then says why.
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box) {
    return;
  }
  var form = box.querySelector("form");
  var button = form.querySelector("button");
  var warnMs = Number(box.dataset.warnSeconds) * 1000;
  var warnTimer = null;
  var endTimer = null;
  var returnFocus = null;

  function schedule(secondsLeft) {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    var leftMs = secondsLeft * 1000;
    warnTimer = setTimeout(show, Math.max(0, leftMs - warnMs));
    // At the end, ask the server for this page again: if another window kept the sign-on
    // alive the page simply reloads, otherwise the server sends it to the login page,
    // which says that the session expired and comes back here afterwards.
    endTimer = setTimeout(function () {
      window.location.assign(window.location.href);
    }, leftMs + 1000);
  }

  function show() {
    if (!box.hidden) {
      return;
    }
    returnFocus = document.activeElement;
    box.hidden = false;
    button.focus();
  }

  function hide() {
    box.hidden = true;
    if (returnFocus && typeof returnFocus.focus === "function") {
      returnFocus.focus();
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("keepalive " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        hide();
        schedule(Number(data.seconds_left));
      })
      .catch(function () {
        form.submit(); // the plain form: back to this page, or to the login if it ended
      });
  });

  schedule(Number(box.dataset.secondsLeft));
})();
