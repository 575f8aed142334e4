// Small progressive enhancements; the site works without this file.
// The `js` class on <html> is already set by the inline script in <head>
// (templates/base.html), so the collapsed states below are styled before
// this deferred file runs and nothing moves when it does.
(function () {
    "use strict";
    document.documentElement.classList.replace("no-js", "js");

    // A disclosure button: shows/hides the element named by aria-controls.
    function disclosure(toggle, onClose) {
        var target = document.getElementById(toggle.getAttribute("aria-controls"));
        if (!target) return null;
        toggle.hidden = false;
        function set(open) {
            toggle.setAttribute("aria-expanded", String(open));
            target.classList.toggle("is-open", open);
        }
        toggle.addEventListener("click", function () {
            set(toggle.getAttribute("aria-expanded") !== "true");
        });
        document.addEventListener("keydown", function (event) {
            if (event.key === "Escape" && target.classList.contains("is-open")) {
                set(false);
                if (onClose) onClose();
                toggle.focus();
            }
        });
        return set;
    }

    document.addEventListener("DOMContentLoaded", function () {
        var navToggle = document.querySelector(".nav-toggle");
        if (navToggle) disclosure(navToggle);

        var filtersToggle = document.querySelector(".filters-toggle");
        if (filtersToggle) disclosure(filtersToggle);

        // After a failed submit, focus the error summary so it is read first;
        // its links put focus in the field (a plain #id jump only scrolls).
        var summary = document.querySelector("[data-error-summary]");
        if (summary) {
            summary.addEventListener("click", function (event) {
                var link = event.target.closest("a[href^='#']");
                var field = link && document.getElementById(link.getAttribute("href").slice(1));
                if (!field) return;
                event.preventDefault();
                var holder = field.closest(".form-field") || field;
                holder.scrollIntoView({ block: "start" });
                field.focus({ preventScroll: true });
            });
            summary.focus();
            return;
        }
        // After choosing a library filter (its links end in #results-heading),
        // focus the results heading: it says how many resources match.
        // (Chrome focuses a focusable fragment target itself; this covers the rest.)
        if (window.location.hash === "#results-heading") {
            var heading = document.getElementById("results-heading");
            if (heading) heading.focus();
        }
    });
})();
