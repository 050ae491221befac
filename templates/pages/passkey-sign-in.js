// The hosted sign-in page's passkey button: the page's only script, served from Portico's origin.
// Without WebAuthn (or without this script) the button stays hidden and the form works alone.
(function () {
  'use strict';
  var area = document.getElementById('passkey-area');
  var button = document.getElementById('passkey-sign-in');
  var failure = document.getElementById('passkey-error');
  if (!area || !button || !window.PublicKeyCredential || !PublicKeyCredential.parseRequestOptionsFromJSON) return;
  area.hidden = false;

  function post(url, body) {
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then(function (answer) {
      return answer.json().then(function (json) {
        if (!answer.ok) throw new Error(json.code || 'refused');
        return json;
      });
    });
  }

  button.addEventListener('click', function () {
    var csrf = button.getAttribute('data-csrf');
    failure.hidden = true;
    button.disabled = true;
    post(button.getAttribute('data-options'), { csrf: csrf })
      .then(function (options) {
        return navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(options) });
      })
      .then(function (credential) {
        return post(button.getAttribute('data-submit'), { csrf: csrf, response: credential.toJSON() });
      })
      .then(function (next) {
        window.location.assign(next.location);
      })
      .catch(function () {
        failure.hidden = false;
        button.disabled = false;
        button.focus();
      });
  });
})();
