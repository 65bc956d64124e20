/* "Exit this page": leave at once for a neutral site, and do not leave this page in the history.
   Without JavaScript the link still works (a plain link); with it, the Escape key works too, and
   location.replace means the browser's Back button does not come back here. */
(function () {
  "use strict";
  var link = document.getElementById("exit-this-page");
  if (!link) { return; }
  var target = link.getAttribute("href");
  function leave(event) {
    if (event) { event.preventDefault(); }
    document.body.classList.add("exiting");
    document.title = "BBC Weather";
    window.location.replace(target);
  }
  link.addEventListener("click", leave);
  var keyHint = document.querySelector(".exit-key");
  if (keyHint) { keyHint.hidden = false; }
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" || event.key === "Esc") { leave(event); }
  });
  /* Move focus to the error summary, as the GOV.UK pattern does, so it is read out first. */
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
}());
