// Session timeout warning (WCAG 2.2.1): shortly before the idle timeout a dialog offers to
// extend the session without leaving the page, so unsaved form input is not lost. Without
// JavaScript the page still works; the session then simply ends after the idle timeout.
(function () {
  'use strict';
  var dialog = document.getElementById('session-warning');
  var form = document.getElementById('session-extend-form');
  var countdown = document.getElementById('session-countdown');
  if (!dialog || !form || !countdown || typeof dialog.showModal !== 'function' || !window.fetch) {
    return;
  }
  var secondsLeft = parseInt(dialog.getAttribute('data-seconds-left'), 10);
  var warningSeconds = parseInt(dialog.getAttribute('data-warning-seconds'), 10);
  if (!(secondsLeft > 0) || !(warningSeconds > 0)) {
    return;
  }
  var deadline = Date.now() + secondsLeft * 1000;
  var warnTimer = null;
  var tickTimer = null;

  function expired() {
    window.location.assign('/login?wygasla=1');
  }

  function update() {
    var s = Math.max(0, Math.round((deadline - Date.now()) / 1000));
    countdown.textContent = s >= 60 ? Math.ceil(s / 60) + ' min' : s + ' s';
    if (s <= 0) {
      clearInterval(tickTimer);
      expired();
    }
  }

  function show() {
    update();
    if (!dialog.open) {
      dialog.showModal();
    }
    clearInterval(tickTimer);
    tickTimer = setInterval(update, 1000);
  }

  function schedule() {
    clearTimeout(warnTimer);
    warnTimer = setTimeout(show, Math.max(0, deadline - Date.now() - warningSeconds * 1000));
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      body: new URLSearchParams(new FormData(form))
    }).then(function (response) {
      var left = parseInt(response.headers.get('x-session-seconds-left'), 10);
      if (response.status !== 204 || !(left > 0)) {
        expired();
        return;
      }
      deadline = Date.now() + left * 1000;
      clearInterval(tickTimer);
      dialog.close();
      schedule();
    }).catch(function () {
      // Network trouble: keep the dialog open so the user can try again.
    });
  });

  schedule();
}());
