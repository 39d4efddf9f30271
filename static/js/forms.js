// The error summary of a form (GOV.UK pattern): on a page with errors the summary takes the
// focus, so a screen reader announces it and the keyboard starts there; a link of the summary
// moves the focus into the field it names (a plain anchor would only scroll to it). Without
// JavaScript the summary still shows and its links still scroll to the fields.
(function () {
  'use strict';
  var summary = document.getElementById('error-summary');
  if (!summary) {
    return;
  }
  if (document.activeElement !== summary) {
    summary.focus();
  }
  summary.addEventListener('click', function (event) {
    var link = event.target.closest('a[href^="#"]');
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute('href').slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var target = field.matches('input, select, textarea, button') ? field
      : field.querySelector('input, select, textarea, button') || field;
    target.focus();
    (field.closest('.field, fieldset') || field).scrollIntoView();
  });
})();
