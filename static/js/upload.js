/* Upload progress on a filing's documents page. Progressive enhancement: without this
   script the form posts as it always did; with it, the same POST goes through
   XMLHttpRequest so that a progress bar can show how much has been sent. The server's
   answer is followed as a browser would: a success (it redirects, post/redirect/get) loads
   the page it redirected to; a refusal (400, 413) replaces the page's main content with
   the server's own error page. */
(function () {
  "use strict";

  function init() {
    var form = document.querySelector("form[data-upload-progress]");
    if (!form || !window.XMLHttpRequest || !window.FormData || !window.DOMParser) {
      return;
    }
    var box = form.querySelector(".upload-progress");
    var bar = box && box.querySelector("progress");
    var text = box && box.querySelector("[data-progress-text]");
    if (!bar || !text) {
      return;
    }
    var clicked = null;
    form.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest("button[type=submit]");
      if (button) {
        clicked = button;
      }
    });
    form.addEventListener("submit", function (event) {
      var inputs = form.querySelectorAll("input[type=file]");
      var chosen = Array.prototype.some.call(inputs, function (input) {
        return input.files && input.files.length > 0;
      });
      if (!chosen) {
        return; // nothing to send: an ordinary post
      }
      event.preventDefault();
      var data = new FormData(form);
      var button = event.submitter || clicked;
      if (button && button.name) {
        data.append(button.name, button.value || "");
      }
      var target = form.getAttribute("action") || window.location.href;
      var buttons = form.querySelectorAll("button");
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });
      box.hidden = false;
      bar.value = 0;
      text.textContent = "Starting the upload.";
      var xhr = new XMLHttpRequest();
      xhr.open("POST", target);
      xhr.upload.addEventListener("progress", function (progress) {
        if (progress.lengthComputable) {
          var percent = Math.round((progress.loaded * 100) / progress.total);
          bar.value = percent;
          text.textContent = percent + "% of " + Math.max(1, Math.round(progress.total / 1024)) + " KB sent.";
        }
      });
      xhr.upload.addEventListener("load", function () {
        bar.value = 100;
        text.textContent = "Sent. Checking the PDF.";
      });
      xhr.addEventListener("load", function () {
        if (xhr.status < 400) {
          window.location.assign(xhr.responseURL || target);
          return;
        }
        var page = new DOMParser().parseFromString(xhr.responseText, "text/html");
        var main = page.querySelector("main");
        if (!main) {
          Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
          text.textContent = xhr.responseText.slice(0, 300) || "The upload was refused.";
          return;
        }
        document.querySelector("main").replaceWith(document.importNode(main, true));
        document.title = page.title;
        init();
        var alert = document.querySelector("main [role=alert], main .alert");
        var focus = alert || document.querySelector("main");
        if (focus) {
          if (!focus.hasAttribute("tabindex")) {
            focus.setAttribute("tabindex", "-1");
          }
          focus.focus();
        }
      });
      xhr.addEventListener("error", function () {
        Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
        text.textContent = "The upload did not reach the court. Check the connection and try again.";
      });
      xhr.send(data);
    });
  }

  init();
})();
