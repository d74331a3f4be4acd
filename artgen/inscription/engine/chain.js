/* The chain state a portrait shows: ord's recursion endpoints, a Bitcoin full node's JSON-RPC,
 * a pinned moment, or the embedded default (SPEC 4).
 *
 * A state is {time, height, fee_rate, source}; its height is null when unknown: a moment
 * chosen by time (the settings card's "time@fee", `artgen inscription --time`) belongs to no
 * block we know, and the page never shows another block's height for it.
 */

import { root } from "./dom.js";
import { parseTime } from "./time.js";

// The reply at `url` (fetch `init`), or a rejection ("HTTP 404", an abort after `timeout` ms).
function fetchReply(url, init, timeout) {
  var abort = root.AbortController ? new AbortController() : null;
  var timer = abort ? setTimeout(function () { abort.abort(); }, timeout || 8000) : 0;
  if (abort) init.signal = abort.signal;
  return fetch(url, init).then(function (reply) {
    clearTimeout(timer);
    if (!reply.ok) throw new Error("HTTP " + reply.status);
    return reply.text();
  });
}

export function fetchText(url, timeout) {
  return fetchReply(url, {}, timeout);
}

// A block height, or null when unknown (0: the Python side's "no height", see artgen.chain).
function knownHeight(height) {
  return typeof height === "number" && height % 1 === 0 && height > 0 ? height : null;
}

function numbers(object, names) {
  return !!object && names.every(function (n) { return typeof object[n] === "number" && isFinite(object[n]); });
}

// The kind of a chain source: "default", "ord", "rpc" (a full node: "rpc+URL" or a bare
// http(s) URL), "moment" ("time[@fee rate]").
export function sourceKind(source) {
  var s = (source || "").trim();
  if (s === "" || s === "default" || s === "pinned") return "default";
  if (s === "ord" || s.indexOf("ord+") === 0) return "ord";
  if (s.indexOf("rpc+") === 0 || /^https?:\/\//i.test(s)) return "rpc";
  return "moment";
}

// One JSON-RPC 1.0 call to a full node at `address` (user and password in the URL become a
// Basic Authorization header, as fetch takes no credentials in a URL): its result.
function rpcCall(address, method, params) {
  var url = new URL(address.replace(/^rpc\+/, "")), headers = { "Content-Type": "application/json" };
  if (url.username || url.password) {
    headers.Authorization = "Basic " + btoa(decodeURIComponent(url.username) + ":" + decodeURIComponent(url.password));
    url.username = url.password = "";
  }
  var body = JSON.stringify({ jsonrpc: "1.0", id: "artgen", method: method, params: params });
  return fetchReply(url.href, { method: "POST", headers: headers, body: body }, 5000).then(function (text) {
    var reply = JSON.parse(text);
    if (!reply || reply.error || !("result" in reply)) throw new Error(method + ": no result");
    return reply.result;
  });
}

// The newest block of a full node (ORIGINAL.md section 10: `getblockcount`, then
// `getblockstats` with numeric `time` and `avgfee`; the fee rate drawn is `avgfeerate`).
function fromNode(source) {
  return rpcCall(source, "getblockcount", []).then(function (height) {
    return rpcCall(source, "getblockstats", [height]).then(function (stats) {
      if (!numbers(stats, ["time", "avgfee", "avgfeerate"])) throw new Error("no numeric time, avgfee and avgfeerate");
      return { time: stats.time, height: knownHeight(height), fee_rate: stats.avgfeerate, source: source };
    });
  });
}

// The newest block of an ord server: /r/blockheight, then /r/blockinfo/<height>.
function fromOrd(source) {
  var base = source === "ord" ? "" : source.slice(4).replace(/\/+$/, "");
  return fetchText(base + "/r/blockheight", 5000).then(function (text) {
    var height = JSON.parse(text);
    return fetchText(base + "/r/blockinfo/" + height, 5000).then(function (info) {
      var block = JSON.parse(info);
      if (!numbers(block, ["timestamp", "average_fee_rate"])) throw new Error("no timestamp or average_fee_rate");
      return { time: block.timestamp, height: knownHeight(height), fee_rate: block.average_fee_rate, source: source };
    });
  });
}

// A moment of one's choosing: "time[@fee rate]" (ISO 8601 UTC or Unix seconds).
function fromMoment(source, feeRate) {
  var at = source.indexOf("@"), time = parseTime(at < 0 ? source : source.slice(0, at));
  var fee = at < 0 ? feeRate : +source.slice(at + 1);
  if (!(fee >= 0)) throw new Error("expected a fee rate in sat/vB after @");
  return { time: time, height: null, fee_rate: fee, source: source };
}

// The state `source` gives (a rejection when it cannot be read); `fallback` is
// [time, height, fee rate] (the embedded default, or a standalone file's pinned state).
export function readSource(source, fallback) {
  source = (source || "").trim();
  var kind = sourceKind(source);
  try {
    if (kind === "default") {
      return Promise.resolve({ time: fallback[0], height: knownHeight(fallback[1]), fee_rate: fallback[2],
                               source: source === "pinned" ? "pinned" : "embedded" });
    }
    if (kind === "moment") return Promise.resolve(fromMoment(source, fallback[2]));
  } catch (err) {
    return Promise.reject(err);
  }
  return kind === "rpc" ? fromNode(source) : fromOrd(source);
}

// The chain state for `source` (default "ord"); a source that cannot be read falls back to
// `fallback`, saying why in the state's source.
export function chainState(source, fallback) {
  source = (source || "ord").trim();
  return readSource(source, fallback).catch(function (err) {
    return readSource("default", fallback).then(function (state) {
      state.source = "embedded (" + source + " unreachable: " + err.message + ")";
      return state;
    });
  });
}
