/* "Exit this page": leave at once for a neutral site.
   Without JavaScript the link still works (a plain link), but it cannot close the form: see the README.
   With JavaScript:
   - the form is closed on the server first (navigator.sendBeacon with the page's signed exit token), so
     that Back then Reload ("Confirm Form Resubmission") on an earlier page of the form shows the
     "expired" page, not the person's answers;
   - location.replace takes the current page out of the history (earlier pages stay in it, which is why
     the form is closed on the server);
   - pressing the Shift key 3 times leaves too, also while typing in a text box (that is when someone may
     walk in): the GOV.UK Design System's "Exit this page" shortcut (govuk-frontend's ExitThisPage).
     Not the Escape key: screen readers (JAWS, NVDA) use Escape to leave forms mode, Escape closes
     autocomplete lists and input method candidates, and it stops a page loading - one stray press would
     close the form and lose everything typed. */
(function () {
  "use strict";
  var link = document.getElementById("exit-this-page");
  if (!link) { return; }
  var target = link.getAttribute("href");
  function closeForm() {
    /* Sent from every page: with a form's exit token it closes that form; without one (the confirmation
       page) it only forgets the reference of feedback sent, which would show the next person at this
       browser that safeguarding feedback was given. */
    var token = link.getAttribute("data-exit-token") || "";
    if (!navigator.sendBeacon) { return; }
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
  watchShiftPresses(leave);
  /* Move focus to the error summary (or the notice), as the GOV.UK pattern does, so it is read out first. */
  var summary = document.querySelector(".error-summary") || document.querySelector(".notice");
  if (summary) { summary.focus(); }

  /* Calls `leave` on the third press of Shift on its own, each within PRESS_GAP_MS of the one before, as
     GOV.UK does. Only a Shift pressed and let go with no other key in between counts: Shift held for
     capital letters, Shift+Tab, or any key pressed between two presses starts the count again. (GOV.UK
     tells this from the shiftKey flag of the previous keyup; watching keydown also catches fast typing,
     where Shift is let go before the letter it made capital.) Nothing counts while an input method is
     composing text (Urdu, Arabic, Bengali, ... keyboards; some use Shift to switch what they type), nor
     while Alt, Ctrl or Meta is held (Alt+Shift switches the keyboard's language on Windows), and a click
     (Shift+click selects text) starts the count again.
     Each press is announced (role="status" in base.html, worded in the page's language), and three
     marks beside the link show the count. */
  function watchShiftPresses(leave) {
    var PRESS_GAP_MS = 5000;
    var status = document.getElementById("exit-status");
    var lights = document.querySelector(".exit-count");
    var presses = 0;
    var shiftAlone = false;      /* Shift is down and no other key has gone down since */
    var gapTimer = null;
    var clearTimer = null;
    function composing(event) { return event.isComposing || event.keyCode === 229; }   /* 229: the input method's key */
    function say(message) {
      if (clearTimer) { window.clearTimeout(clearTimer); clearTimer = null; }
      if (status) { status.textContent = message || ""; }
    }
    function show() {
      if (!lights) { return; }
      lights.hidden = presses === 0;
      lights.setAttribute("data-count", String(presses));
    }
    function startAgain(announce) {
      if (gapTimer) { window.clearTimeout(gapTimer); gapTimer = null; }
      if (presses === 0) { return; }
      presses = 0;
      show();
      if (announce && status) {
        say(status.getAttribute("data-timed-out"));
        clearTimer = window.setTimeout(function () { say(""); }, PRESS_GAP_MS);
      } else {
        say("");
      }
    }
    function withOtherModifier(event) { return event.altKey || event.ctrlKey || event.metaKey; }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Shift" && !composing(event) && !withOtherModifier(event)) {
        if (!event.repeat) { shiftAlone = true; }    /* holding Shift down is one press */
        return;
      }
      shiftAlone = false;
      startAgain(true);
    }, true);
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift") { return; }
      var counts = shiftAlone && !composing(event) && !withOtherModifier(event);
      shiftAlone = false;
      if (!counts) { return; }
      presses += 1;
      show();
      if (gapTimer) { window.clearTimeout(gapTimer); }
      if (presses >= 3) {
        gapTimer = null;
        say("");
        leave();
        return;
      }
      say(status && status.getAttribute(presses === 1 ? "data-two-more" : "data-one-more"));
      gapTimer = window.setTimeout(function () { startAgain(true); }, PRESS_GAP_MS);
    }, true);
    document.addEventListener("pointerdown", function () { shiftAlone = false; startAgain(false); }, true);
    /* Back to a page the browser kept (back/forward cache): no count, no "exiting" blank. */
    window.addEventListener("pageshow", function () {
      document.body.classList.remove("exiting");
      startAgain(false);
    });
  }
}());
