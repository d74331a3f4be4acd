/* The chain state a portrait shows: ord's recursion endpoints, a pinned moment, or the
 * embedded default (SPEC 4).
 *
 * A state is {time, height, fee_rate, source}; its height is null when unknown: a moment
 * chosen by time (the settings card's "time@fee", `artgen inscription --time`) belongs to no
 * block we know, and the page never shows another block's height for it.
 */

import { root } from "./dom.js";
import { parseTime } from "./time.js";

// The text at `url`, or a rejection ("HTTP 404", an abort after `timeout` ms).
export function fetchText(url, timeout) {
  var abort = root.AbortController ? new AbortController() : null;
  var timer = abort ? setTimeout(function () { abort.abort(); }, timeout || 8000) : 0;
  return fetch(url, abort ? { signal: abort.signal } : {}).then(function (reply) {
    clearTimeout(timer);
    if (!reply.ok) throw new Error("HTTP " + reply.status);
    return reply.text();
  });
}

// A block height, or null when unknown (0: the Python side's "no height", see artgen.chain).
function knownHeight(height) {
  return typeof height === "number" && height % 1 === 0 && height > 0 ? height : null;
}

// The chain state for `source`: "ord" (this server), "ord+https://host", "default" (the
// `fallback` [time, height, fee rate]: the embedded default, or a standalone file's pinned
// state when `source` is "pinned"), or a moment "time[@fee rate]". A source that cannot be
// read falls back to `fallback`, saying why in the state's source.
export function chainState(source, fallback) {
  var embedded = {
    time: fallback[0], height: knownHeight(fallback[1]), fee_rate: fallback[2],
    source: source === "pinned" ? "pinned" : "embedded"
  };
  source = (source || "ord").trim();
  if (source === "default" || source === "pinned") return Promise.resolve(embedded);
  var at = source.indexOf("@");
  if (source !== "ord" && source.indexOf("ord+") !== 0) {
    try {
      var time = parseTime(at < 0 ? source : source.slice(0, at));
      var fee = at < 0 ? embedded.fee_rate : +source.slice(at + 1);
      if (!(fee >= 0)) throw new Error("expected a fee rate in sat/vB after @");
      return Promise.resolve({ time: time, height: null, fee_rate: fee, source: source });
    } catch (err) {
      embedded.source = "embedded (" + err.message + ")";
      return Promise.resolve(embedded);
    }
  }
  var base = source === "ord" ? "" : source.slice(4).replace(/\/+$/, "");
  return fetchText(base + "/r/blockheight", 5000).then(function (text) {
    var height = JSON.parse(text);
    return fetchText(base + "/r/blockinfo/" + height, 5000).then(function (info) {
      var block = JSON.parse(info);
      if (typeof block.timestamp !== "number" || typeof block.average_fee_rate !== "number") {
        throw new Error("no timestamp or average_fee_rate");
      }
      return { time: block.timestamp, height: knownHeight(height), fee_rate: block.average_fee_rate, source: source };
    });
  }).catch(function (err) {
    embedded.source = "embedded (" + source + " unreachable: " + err.message + ")";
    return embedded;
  });
}
