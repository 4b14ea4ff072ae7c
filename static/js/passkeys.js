// Passkeys: a form with data-passkey="create" or "get" carries the server's WebAuthn options
// (a JSON script element named by data-options). Submitting it asks the browser's
// authenticator, puts the credential's JSON in the form's "credential" field and sends it.
(function () {
  "use strict";
  function run(form, event) {
    if (form.dataset.passkeyDone === "1") return;
    event.preventDefault();
    var status = form.querySelector("[data-passkey-status]");
    var options = JSON.parse(document.getElementById(form.dataset.options).textContent);
    var ask;
    if (form.dataset.passkey === "create") {
      ask = navigator.credentials.create({
        publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(options),
      });
    } else {
      ask = navigator.credentials.get({
        publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options),
      });
    }
    ask.then(function (credential) {
      form.querySelector("input[name=credential]").value = JSON.stringify(credential.toJSON());
      form.dataset.passkeyDone = "1";
      form.submit();
    }).catch(function (error) {
      if (status) status.textContent = "Your passkey was not used (" + error.name + "). Try again.";
    });
  }
  document.querySelectorAll("form[data-passkey]").forEach(function (form) {
    if (!window.PublicKeyCredential) {
      var status = form.querySelector("[data-passkey-status]");
      if (status) status.textContent = "This browser does not support passkeys.";
      return;
    }
    form.addEventListener("submit", function (event) { run(form, event); });
  });
})();
