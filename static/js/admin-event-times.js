/* Live hint under an event's start field: "2:00 PM PT = 5:00 PM ET".
 * The start is typed as a wall-clock time in the event's own zone (the "Time zone" select);
 * the hint says what that is on both coasts, as it is typed. No dependencies. */
(function () {
  "use strict";
  var LABELS = {
    "America/New_York": "ET", "America/Detroit": "ET", "America/Chicago": "CT", "America/Denver": "MT",
    "America/Boise": "MT", "America/Phoenix": "MST", "America/Los_Angeles": "PT", "America/Anchorage": "AKT",
    "Pacific/Honolulu": "HT", "America/Puerto_Rico": "AT"
  };
  var COASTS = ["America/Los_Angeles", "America/New_York"];

  function label(zone, date) {
    if (LABELS[zone]) return LABELS[zone];
    var part = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "short" })
      .formatToParts(date).filter(function (p) { return p.type === "timeZoneName"; })[0];
    return part ? part.value : zone;
  }

  function offsetMinutes(date, zone) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit"
    }).formatToParts(date).forEach(function (p) { parts[p.type] = p.value; });
    var asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute);
    return (asUtc - Math.floor(date.getTime() / 60000) * 60000) / 60000;
  }

  function fromWallClock(y, m, d, h, mi, zone) {
    var guess = Date.UTC(y, m - 1, d, h, mi);
    var instant = guess - offsetMinutes(new Date(guess), zone) * 60000;
    return new Date(guess - offsetMinutes(new Date(instant), zone) * 60000);
  }

  function clock(date, zone) {
    return new Intl.DateTimeFormat("en-US", { timeZone: zone, hour: "numeric", minute: "2-digit" }).format(date);
  }

  function hintText(value, zone) {
    var match = /^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})/.exec((value || "").trim());
    if (!match || !zone) return "";
    var date;
    try {
      date = fromWallClock(+match[1], +match[2], +match[3], +match[4], +match[5], zone);
    } catch (e) {
      return "";
    }
    var zones = [zone];
    COASTS.forEach(function (coast) {
      if (label(coast, date) !== label(zone, date)) zones.push(coast);
    });
    return zones.map(function (z) { return clock(date, z) + " " + label(z, date); }).join(" = ");
  }

  function setUp() {
    var start = document.querySelector("[data-event-time-hint=start]");
    var zoneSelect = document.getElementById("id_timezone");
    if (!start || !zoneSelect || start.dataset.hintReady) return;
    start.dataset.hintReady = "1";
    var hint = document.createElement("p");
    hint.className = "help event-time-hint";
    hint.id = "event-time-hint";
    hint.setAttribute("aria-live", "polite");
    start.insertAdjacentElement("afterend", hint);
    var describedBy = start.getAttribute("aria-describedby");
    start.setAttribute("aria-describedby", (describedBy ? describedBy + " " : "") + hint.id);
    function update() {
      var text = hintText(start.value, zoneSelect.value);
      hint.textContent = text ? "Starts " + text : "";
    }
    ["input", "change", "blur", "keyup"].forEach(function (name) { start.addEventListener(name, update); });
    zoneSelect.addEventListener("change", update);
    update();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
  window.lpsiteEventTimeHint = hintText;
})();
