// Reads a calendar file the way Thunderbird does (Mozilla's ical.js) and prints, as JSON, each VEVENT's
// UID with its start and end as UTC instants and its status: tests/events/test_icaljs.py compares them
// with what Python's zoneinfo says. Usage: node starts.mjs <path to ical.js's dist/ical.js> <file.ics>
import fs from "node:fs";
import { pathToFileURL } from "node:url";

const [modulePath, calendarPath] = process.argv.slice(2);
const ICAL = (await import(pathToFileURL(modulePath).href)).default;
const calendar = new ICAL.Component(ICAL.parse(fs.readFileSync(calendarPath, "utf8")));
for (const zone of calendar.getAllSubcomponents("vtimezone")) {
  ICAL.TimezoneService.register(zone);
}
const out = {};
for (const component of calendar.getAllSubcomponents("vevent")) {
  const event = new ICAL.Event(component);
  out[event.uid] = {
    start: event.startDate.toJSDate().toISOString(),
    end: event.endDate.toJSDate().toISOString(),
    status: component.getFirstPropertyValue("status"),
    description: event.description,
  };
}
process.stdout.write(JSON.stringify(out));
