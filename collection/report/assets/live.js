/* live.html: a token's live art from disk. The address's hash holds the token's JSON block
 * (traits, hidden sizes, a pinned moment; see the engine's main.js), which this writes into
 * the page before loading the engine, so the engine starts as in the token's own HTML. From
 * disk it has no model to load, so it draws its traits' network; served, the block may name
 * the model and ord's /content/ answers. */
(function () {
  "use strict";
  var doc = document, cfg;
  try {
    cfg = JSON.parse(decodeURIComponent(location.hash.slice(1)));
  } catch (err) {
    doc.body.textContent = "live.html shows a token's art: open it from a token's page.";
    return;
  }
  var block = doc.createElement("script");
  block.type = "application/json";
  block.id = "perceptron";
  block.textContent = JSON.stringify(cfg);
  doc.body.appendChild(block);
  var engine = doc.createElement("script");
  engine.src = "assets/engine.js";
  doc.body.appendChild(engine);
})();
