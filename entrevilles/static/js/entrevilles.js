// Behaviour of every page, kept out of the HTML so that the Content-Security-Policy
// can forbid inline script.

// A <select data-submit-on-change> submits its form when a choice is made (the language
// switcher, list filters); a <noscript> button does it without JavaScript.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field instanceof HTMLSelectElement && field.hasAttribute("data-submit-on-change") && field.form) {
    field.form.requestSubmit();
  }
});
