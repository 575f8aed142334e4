// A case's page in the Help Desk inbox: "Use this reply" puts the saved reply at the cursor of the reply being
// typed, instead of reloading the page with the saved reply alone (the GET form stays the fallback without
// JavaScript). The saved replies' texts, already filled in for this member, are on their options.
(function () {
  "use strict";
  var picker = document.querySelector("form.lp-hd-saved");
  var reply = document.querySelector("form.lp-hd-reply");
  var box = reply && reply.querySelector("textarea[name=message]");
  if (!picker || !box) return;
  picker.addEventListener("submit", function (event) {
    var option = picker.querySelector("select[name=saved_reply]").selectedOptions[0];
    if (!option || !option.hasAttribute("data-text")) return;
    event.preventDefault();
    var text = option.getAttribute("data-text");
    var start = box.selectionStart, end = box.selectionEnd, before = box.value.slice(0, start);
    var gap = before && !/\n\n$/.test(before) ? (/\n$/.test(before) ? "\n" : "\n\n") : "";
    box.value = before + gap + text + box.value.slice(end);
    var caret = start + gap.length + text.length;
    box.focus();
    box.setSelectionRange(caret, caret);
    var chosen = reply.querySelector("input[name=saved_reply]");
    if (!chosen) {
      chosen = document.createElement("input");
      chosen.type = "hidden";
      chosen.name = "saved_reply";
      reply.appendChild(chosen);
    }
    chosen.value = option.value;
  });
})();
