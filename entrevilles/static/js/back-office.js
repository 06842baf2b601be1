// The back office's widgets as assistive technologies read them: every control has a
// name, no focusable element sits inside another, ARIA attributes only where allowed.
// Django's admin, django-modeltranslation's language tabs (jQuery UI) and the
// autocomplete boxes (select2) leave these gaps; loaded on every back-office page
// (templates/admin/base_site.html), deferred, so that it runs before the tabs are made.
(function () {
  "use strict";

  // The back office's JavaScript catalogue (admin:jsi18n) gives gettext on the pages
  // that have forms; the login page has none to translate.
  const gettext = typeof window.gettext === "function" ? window.gettext : (text) => text;
  const gettext_noop = (text) => text;
  // Django's own strings that its catalogues leave untranslated in a language of the
  // platform (6.1 has no Spanish for the "Today" shortcut's name): listed here, they
  // enter the project's JavaScript catalogues, which the back office reads after Django's.
  gettext_noop("Today (%(date)s)");

  // Language tabs: jQuery UI makes the list item the tab and leaves a link inside it,
  // a focusable control inside another. The link keeps only the panel's address (for
  // jQuery UI), out of the focus order; the tab itself is what people reach and press.
  const jQuery = window.jQuery || (window.django && window.django.jQuery);
  if (jQuery && jQuery.ui && jQuery.ui.tabs) {
    jQuery.widget("ui.tabs", jQuery.ui.tabs, {
      _processTabs: function () {
        this.element.find("a[data-panel]").each(function () {
          this.setAttribute("href", this.getAttribute("data-panel"));
        });
        this._super();
        this.anchors.each(function () {
          this.setAttribute("data-panel", this.getAttribute("href"));
          this.removeAttribute("href");
          this.removeAttribute("tabindex");
        });
      },
      _isLocal: function (anchor) {
        return anchor.hasAttribute("data-panel") || this._super(anchor);
      },
    });
  }

  function headingText(cell) {
    const text = cell.querySelector(".text") || cell;
    return text.textContent.replace(/\s+/g, " ").trim();
  }

  function hasName(control) {
    return (
      (control.labels && control.labels.length > 0) ||
      control.hasAttribute("aria-label") ||
      control.hasAttribute("aria-labelledby")
    );
  }

  // Tabular inlines and editable lists show a field's label once, as the heading of its
  // column: each control of a cell is named by that heading.
  function nameControlsByColumn(root) {
    root.querySelectorAll("table").forEach(function (table) {
      const headings = table.tHead && table.tHead.rows[0];
      if (!headings) return;
      Array.from(table.tBodies).forEach(function (body) {
        Array.from(body.rows).forEach(function (row) {
          Array.from(row.cells).forEach(function (cell) {
            const heading = headings.cells[cell.cellIndex];
            const name = heading && headingText(heading);
            if (!name) return;
            cell.querySelectorAll("input, select, textarea").forEach(function (control) {
              if (control.type !== "hidden" && !hasName(control)) {
                control.setAttribute("aria-label", name);
              }
            });
          });
        });
      });
    });
  }

  // An empty autocomplete box (select2) shows nothing to take its name from: it is named
  // by the label of the field it stands for.
  function nameAutocompletes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = select.id && document.querySelector('label[for="' + select.id + '"]');
      const container = select.nextElementSibling;
      const selection = container && container.querySelector(".select2-selection");
      if (!label || !selection) return;
      label.id = label.id || select.id + "_label";
      const rendered = selection.querySelector(".select2-selection__rendered");
      if (rendered && rendered.id) {
        rendered.setAttribute("aria-labelledby", label.id);
        selection.setAttribute("aria-labelledby", label.id + " " + rendered.id);
      } else {
        selection.setAttribute("aria-labelledby", label.id);
      }
    });
  }

  function complete(root) {
    nameControlsByColumn(root);
    nameAutocompletes(root);
    // Help icons (the filter boxes of two-list choices) carry their text as aria-label,
    // which a plain span may not have: they are images with a text alternative.
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    const languageSwitch = document.getElementById("modeltranslation-main-switch");
    if (languageSwitch && !hasName(languageSwitch)) {
      languageSwitch.setAttribute("aria-label", gettext("Language of the translated fields"));
    }
  }

  // After Django's own scripts, which build these widgets when the page has loaded
  // (window "load") or when jQuery finds the document ready: jQuery runs its ready
  // callbacks in their order, later than "load" at times, so both are waited for.
  window.addEventListener("load", function () {
    complete(document);
  });
  if (jQuery) {
    jQuery(function () {
      complete(document);
    });
  }
  document.addEventListener("formset:added", function (event) {
    complete(event.target.closest(".inline-group") || document);
  });
})();
