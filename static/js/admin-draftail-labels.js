/* Name every Draftail rich text editor after its field's label.
 *
 * Wagtail's <label for> points at the hidden input the editor replaces, so the
 * editor's role="textbox" has no accessible name: screen readers announce an
 * unnamed text field, and axe reports aria-input-field-name (Wagtail issue
 * #14205). Until Wagtail passes Draftail's ariaLabelledBy itself, this points
 * each editor's aria-labelledby at the label of its field: the field's <label>
 * (a StructBlock's child's label has no "for": the one just before the field),
 * or for a rich text block standing on its own in a StreamField or list (no
 * label of its own), the block's type in its heading ("Paragraph").
 * Editors appear whenever a block is added, so a MutationObserver watches for
 * them (its callbacks come batched, after each change). A static file: the
 * admin's CSP allows no eval. */
(function () {
  "use strict";
  var UNNAMED = '.Draftail-Editor [role="textbox"]:not([aria-labelledby]):not([aria-label])';
  var count = 0;

  function idOf(element, fallback) {
    if (!element.id) element.id = fallback;
    return element.id;
  }

  function labelId(editor) {
    var wrapper = editor.closest(".Draftail-Editor__wrapper");
    var input = wrapper && wrapper.parentElement.querySelector(':scope > input[type="hidden"][id]');
    var label = input && document.querySelector('label[for="' + CSS.escape(input.id) + '"]');
    if (!label) {
      // A StructBlock's child has a label without "for", just before the field.
      var field = editor.closest("[data-field-wrapper]");
      var before = field && field.previousElementSibling;
      label = before && before.matches("label") ? before : null;
    }
    if (label) return idOf(label, (input ? input.id : "draftail-" + ++count) + "-label");
    var block = editor.closest("section[aria-labelledby]");
    var heading = block && document.getElementById(block.getAttribute("aria-labelledby"));
    if (!heading) return null;
    var type = heading.querySelector(".c-sf-block__type");
    return type ? idOf(type, heading.id + "-type") : heading.id;
  }

  function nameEditors() {
    document.querySelectorAll(UNNAMED).forEach(function (editor) {
      var id = labelId(editor);
      if (id) editor.setAttribute("aria-labelledby", id);
    });
  }

  function start() {
    nameEditors();
    new MutationObserver(nameEditors).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
