/* artgen.animation.brain_icon: our brain icon on the result card, designed in a 500 x 500 box.
 *
 * Three layers (ORIGINAL.md section 8 describes them; the drawing is ours): a pattern-colour
 * wash at 0.5 that fills from the bottom with age while Growing (the whole box otherwise); a
 * black blot at 0.5 while Decaying, scaled by map(age, 50, 60, 0.25, 1.3); and a mask, the paper
 * square with the brain's silhouette, its hemispheres cut out so the layers below show, folds on top.
 */

import { DATA } from "./data.js";
import { doc } from "./dom.js";
import { remap } from "./layout.js";
import { rgba } from "./palette.js";

// Where the wash starts (design units): it rises with age while Growing.
export function washTop(stage, age) {
  var d = DATA.card.icon.design;
  return stage === "Growing" ? remap(age, 0, 25, d, 0) : 0;
}

// One hemisphere's inside as the current path (the right one mirrors the left about x = 250).
function hemisphere(ctx, mirror) {
  var icon = DATA.card.icon, at = function (x) { return mirror ? icon.design - x : x; };
  var first = icon.edge[0], last = icon.edge[1];
  ctx.moveTo(at(first[0]), first[1]);
  icon.lobes.forEach(function (s) { ctx.bezierCurveTo(at(s[0]), s[1], at(s[2]), s[3], at(s[4]), s[5]); });
  ctx.lineTo(at(icon.fissure), last[1]);
  ctx.lineTo(at(icon.fissure), first[1]);
  ctx.closePath();
}

// The mask: paper with the silhouette in ink, the hemispheres' insides cleared, the folds.
function mask(size, paper, ink) {
  var icon = DATA.card.icon, c = doc.createElement("canvas");
  c.width = c.height = size;
  var ctx = c.getContext("2d");
  ctx.scale(size / icon.design, size / icon.design);
  ctx.fillStyle = rgba(paper, 1);
  ctx.fillRect(0, 0, icon.design, icon.design);
  ctx.fillStyle = ctx.strokeStyle = rgba(ink, 1);
  ctx.lineJoin = "round";
  ctx.lineWidth = 2 * icon.rim;
  [false, true].forEach(function (mirror) {
    ctx.beginPath();
    hemisphere(ctx, mirror);
    ctx.stroke();
    ctx.fill();
  });
  ctx.globalCompositeOperation = "destination-out";
  [false, true].forEach(function (mirror) {
    ctx.beginPath();
    hemisphere(ctx, mirror);
    ctx.fill();
  });
  ctx.globalCompositeOperation = "source-over";
  ctx.lineWidth = icon.fold;
  ctx.lineCap = "round";
  [false, true].forEach(function (mirror) {
    icon.folds.forEach(function (fold) {
      var p = fold.map(function (q) { return [mirror ? icon.design - q[0] : q[0], q[1]]; });
      ctx.beginPath();
      ctx.moveTo(p[0][0], p[0][1]);
      ctx.bezierCurveTo(p[1][0], p[1][1], p[2][0], p[2][1], p[3][0], p[3][1]);
      ctx.stroke();
    });
  });
  return c;
}

// The icon in the square at (x, y) of `side` (the context's units); `age` within the life
// (Perceptron years); `pixels` its side in device pixels (the mask's resolution).
export function drawBrainIcon(ctx, x, y, side, pixels, stage, age, paper, ink) {
  var icon = DATA.card.icon, d = icon.design;
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(side / d, side / d);
  ctx.beginPath();
  ctx.rect(0, 0, d, d);
  ctx.clip();
  var top = Math.max(0, Math.min(d, washTop(stage, age)));
  ctx.fillStyle = rgba(ink, icon.wash);
  ctx.fillRect(0, top, d, d - top);
  if (stage === "Decaying") {
    var scale = remap(age, 50, 60, icon.blot_scale[0], icon.blot_scale[1]);
    ctx.beginPath();
    icon.blot_shape.forEach(function (p, i) {
      var px = d / 2 + scale * p[0], py = d / 2 + scale * p[1];
      if (i) ctx.lineTo(px, py);
      else ctx.moveTo(px, py);
    });
    ctx.closePath();
    ctx.fillStyle = "rgba(0,0,0," + icon.blot + ")";
    ctx.fill();
  }
  ctx.drawImage(mask(Math.max(1, Math.round(pixels)), paper, ink), 0, 0, d, d);
  ctx.restore();
}
