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

// Who else has this case open: the page says it is open every few seconds while it is in view, and shows
// whoever else's page does (helpdesk/collisions.py). Closing the tab says so at once.
(function () {
  "use strict";
  var line = document.querySelector(".lp-also-open[data-presence-url]");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!line || !token || !window.fetch) return;
  var url = line.getAttribute("data-presence-url");
  var every = (parseInt(line.getAttribute("data-heartbeat-seconds"), 10) || 30) * 1000;
  function form(leave) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token.value);
    if (leave) data.append("leave", "1");
    return data;
  }
  function show(others) {
    if (others.length) {
      line.textContent = "Also open by " + others.join(", ") + ": check the thread before you answer.";
      line.hidden = false;
    } else {
      line.textContent = "";
      line.hidden = true;
    }
  }
  function beat() {
    if (document.visibilityState !== "visible") return;
    fetch(url, { method: "POST", body: form(false), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) { if (answer) show(answer.others || []); })
      .catch(function () {});
  }
  beat();
  window.setInterval(beat, every);
  document.addEventListener("visibilitychange", beat);
  window.addEventListener("pagehide", function () {
    if (navigator.sendBeacon) navigator.sendBeacon(url, form(true));
  });
})();
