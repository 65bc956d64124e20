/* "Exit this page": leave at once for a neutral site.
   Without JavaScript the link still works (a plain link), but it cannot close the form: see the README.
   With JavaScript:
   - the form is closed on the server first (navigator.sendBeacon with the page's signed exit token), so
     that Back then Reload ("Confirm Form Resubmission") on an earlier page of the form shows the
     "expired" page, not the person's answers;
   - location.replace takes the current page out of the history (earlier pages stay in it, which is why
     the form is closed on the server);
   - the Escape key leaves too, also while typing in a text box (that is when someone may walk in), but
     not while an input method is composing text (Urdu, Arabic, Bengali, ... keyboards): there Escape
     cancels the composition, and leaving would lose the words. */
(function () {
  "use strict";
  var link = document.getElementById("exit-this-page");
  if (!link) { return; }
  var target = link.getAttribute("href");
  function closeForm() {
    var token = link.getAttribute("data-exit-token");
    if (!token || !navigator.sendBeacon) { return; }
    try {
      navigator.sendBeacon("/feedback/abandon", new URLSearchParams({ exit: token }));
    } catch (ignored) { /* leaving matters more than telling the server */ }
  }
  function leave(event) {
    if (event) { event.preventDefault(); }
    closeForm();
    document.body.classList.add("exiting");
    document.title = "BBC Weather";
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  var keyHint = document.querySelector(".exit-key");
  if (keyHint) { keyHint.hidden = false; }
  document.addEventListener("keydown", function (event) {
    if (event.isComposing || event.keyCode === 229) { return; }   /* 229: a key the input method handles */
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
  /* Move focus to the error summary (or the notice), as the GOV.UK pattern does, so it is read out first. */
  var summary = document.querySelector(".error-summary") || document.querySelector(".notice");
  if (summary) { summary.focus(); }
}());
