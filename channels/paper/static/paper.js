/* Keyed entry of paper forms: one key per answer.
   On a question, pressing the number shown beside an answer ([1], [2], ... or [0] for "not answered")
   chooses it and moves to the next question; after the last one, focus goes to the written answers and
   then the Save button. Without this script the form still works: Tab between questions, arrow keys
   to choose. Served as a file: the Content-Security-Policy allows no inline script.

   Enter on a question never sends the form (only the Save button does): a stray Enter used to store an
   unfinished return, and a stored sheet cannot be keyed again. A USB QR scanner "types" the next sheet's
   code (MSPF:msp:1:ur:2:<id>) and Enter: letters typed on a question start a scan burst, during which
   every key (its digits would pick answers) and the Enter are ignored, and a message says so. The server
   refuses a form with a question not keyed, so none of this is needed for safety without JavaScript. */
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

  var BURST_GAP_MS = 500;   // a scanner types a character every few milliseconds; a person is slower

  function setUp(form) {
    var burstUntil = 0;
    var warning = document.getElementById("keyed-scan-warning");

    function inScanBurst(event, target) {
      // Letters or punctuation typed on a question or the Save button: no key of this form does that.
      var onControl = target.type === "radio" || target.type === "submit";
      var typed = event.key.length === 1 || event.key === "Enter";   // not Tab, Shift, the arrows...
      var now = Date.now();
      if (now < burstUntil) {
        burstUntil = now + BURST_GAP_MS;
        return typed;
      }
      if (onControl && event.key.length === 1 && /[^0-9\s]/.test(event.key)) {
        burstUntil = now + BURST_GAP_MS;
        if (warning) {
          warning.textContent = "That looked like a scanned sheet id, so it was ignored: nothing was chosen or saved. " +
            "Finish this form and save it, or cancel it, before you scan the next one.";
        }
        return true;
      }
      return false;
    }

    form.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.altKey || event.ctrlKey || event.metaKey) { return; }
      if (!target || target.tagName === "TEXTAREA") { return; }
      if (inScanBurst(event, target)) {
        event.preventDefault();
        return;
      }
      if (target.type !== "radio") { return; }
      if (event.key === "Enter") {        // would send the form from a question: only Save sends it
        event.preventDefault();
        return;
      }
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
