// On a phone the main menu folds behind a "Menu" button; without JavaScript it stays open.
(function () {
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-toggle");
  if (!button) return;
  header.classList.add("menu-folds");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = header.classList.toggle("menu-open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
