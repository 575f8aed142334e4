// The Help Desk form: as the member types their question, suggest up to three library resources.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest-url]");
  if (!form || !window.fetch) return;
  var box = form.querySelector("[data-suggestions]");
  var list = box && box.querySelector("ul");
  if (!list) return;
  var url = form.getAttribute("data-suggest-url");
  var fields = ["question", "details"].map(function (name) { return form.elements[name]; }).filter(Boolean);
  var issue = form.elements["issue_area"];
  var timer = null;
  var last = "";

  function render(results) {
    list.textContent = "";
    results.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.title;
      a.target = "_blank";
      a.rel = "noopener";
      li.appendChild(a);
      if (item.summary) {
        var p = document.createElement("span");
        p.className = "helpdesk-suggestions__summary";
        p.textContent = " " + item.summary;
        li.appendChild(document.createElement("br"));
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    box.hidden = results.length === 0;
  }

  function lookUp() {
    var text = fields.map(function (f) { return f.value; }).join(" ").trim();
    var params = "q=" + encodeURIComponent(text.slice(0, 2000)) + "&issue_id=" + encodeURIComponent(issue ? issue.value : "");
    if (params === last) return;
    last = params;
    if (text.length < 4) { render([]); return; }
    // POST, never the question in a URL (it would land in server and proxy logs); the form's own CSRF token.
    var token = form.elements["csrfmiddlewaretoken"];
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        Accept: "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": token ? token.value : ""
      },
      body: params
    })
      .then(function (r) { return r.ok ? r.json() : { results: [] }; })
      .then(function (data) { render(data.results || []); })
      .catch(function () { /* suggestions are a nicety; the form works without them */ });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(lookUp, 400);
  }
  fields.forEach(function (f) { f.addEventListener("input", schedule); });
  if (issue) issue.addEventListener("change", schedule);
})();
