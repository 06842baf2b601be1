// Shows each <time data-reader> in the reader's own time zone, next to the venue's.
// dateStyle/timeStyle cannot be combined with timeZoneName (the browser throws
// "Invalid option"), so the parts are named one by one.
(function () {
  var format;
  try {
    format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      year: "numeric", month: "short", day: "numeric",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short"
    });
  } catch (error) {
    return;  // an old browser keeps the UTC times already on the page
  }
  document.querySelectorAll("time[data-reader]").forEach(function (el) {
    var when = new Date(el.getAttribute("datetime"));
    if (isNaN(when)) return;
    // French writes the first day of the month as an ordinal: "1er oct. 2013".
    var firstDay = /^fr\b/.test(format.resolvedOptions().locale);
    el.textContent = format.formatToParts(when).map(function (part) {
      return part.type === "day" && firstDay && part.value === "1" ? "1er" : part.value;
    }).join("");
    var box = el.closest("[hidden]");
    if (box) box.removeAttribute("hidden");
  });
})();
