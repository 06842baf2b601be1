// Shows each <time data-reader> in the reader's own time zone, next to the venue's.
document.querySelectorAll("time[data-reader]").forEach(function (el) {
  var when = new Date(el.getAttribute("datetime"));
  if (isNaN(when)) return;
  el.textContent = new Intl.DateTimeFormat(document.documentElement.lang, {
    dateStyle: "medium", timeStyle: "short", timeZoneName: "short"
  }).format(when);
  el.closest("[hidden]") && el.closest("[hidden]").removeAttribute("hidden");
});
