/* Keyed entry of paper forms: one key per answer.
   On a question, pressing the number shown beside an answer ([1], [2], ... or [0] for "not answered")
   chooses it and moves to the next question; after the last one, focus goes to the written answers and
   then the Save button. Without this script the form still works: Tab between questions, arrow keys
   to choose. Served as a file: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";

  function questions(form) {
    return Array.prototype.slice.call(form.querySelectorAll(".keyed-question"));
  }

  function focusQuestion(question) {
    if (!question) { return false; }
    var target = question.querySelector("input[type=radio]:checked") ||
                 question.querySelector("input[type=radio], textarea");
    if (target) { target.focus(); return true; }
    return false;
  }

  function setUp(form) {
    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (!target || target.type !== "radio") { return; }
      var question = target.closest(".keyed-question");
      if (!question) { return; }
      var choice = question.querySelector('input[type=radio][data-key="' + event.key + '"]');
      if (!choice) { return; }
      event.preventDefault();
      choice.checked = true;
      choice.dispatchEvent(new Event("change", { bubbles: true }));
      var all = questions(form);
      var next = all[all.indexOf(question) + 1];
      if (!focusQuestion(next)) {
        var save = form.querySelector("button[type=submit]");
        if (save) { save.focus(); }
      }
    });
    // Start on the first question, unless the page shows errors (the summary takes focus then).
    if (!document.querySelector('[role="alert"]')) {
      focusQuestion(questions(form)[0]);
    }
  }

  function focusErrors() {
    var summary = document.querySelector('[role="alert"][tabindex="-1"]');
    if (summary) { summary.focus(); }
  }

  function focusAutofocus() {
    // The sheet id field: the browser applies `autofocus` a little later, and the scanner may start
    // typing at once. It keeps the focus even under a message (which is announced as an alert), so
    // the next form can be scanned straight away; the field is described by its error message.
    var field = document.querySelector("[autofocus]");
    if (!field) { return false; }
    if (document.activeElement !== field) { field.focus(); }
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("keyed-form");
    if (form) { setUp(form); }
    if (!focusAutofocus()) { focusErrors(); }
  });
}());
