/* Times as the page shows and reads them: Unix seconds <-> ISO 8601 UTC. */

// Unix seconds -> "2024-11-25T10:40:00Z" (artgen.chain.format_time).
export function isoTime(t) {
  var d = new Date(t * 1000);
  return isNaN(d.getTime()) ? String(t) : d.toISOString().slice(0, 19) + "Z";
}

// ISO 8601 (UTC unless a zone is given) or Unix seconds -> Unix seconds.
export function parseTime(text) {
  var s = String(text).trim();
  if (s !== "" && !isNaN(+s)) return +s;
  // ISO 8601 without a zone is UTC (as artgen.chain.parse_time reads it); a date alone is UTC
  if (s.length > 10 && s.indexOf("Z") < 0 && s.indexOf("+") < 0 && s.slice(10).indexOf("-") < 0) s += "Z";
  var ms = Date.parse(s);
  if (isNaN(ms)) throw new Error("expected ISO 8601 UTC or Unix seconds, got " + JSON.stringify(text));
  return ms / 1000;
}
