/* artgen.animation.brain_icon: our brain icon on the result card, designed in a 500 x 500 box.
 *
 * Three layers (ORIGINAL.md section 8 describes them; the drawing is ours): a pattern-colour
 * wash at 0.5 that fills from the bottom with age while Growing (the whole box otherwise); a
 * black blot at 0.5 while Decaying, scaled by map(age, 50, 60, 0.25, 1.3); and a mask, the paper
 * square with the brain's silhouette, its hemispheres cut out so the layers below show, folds
 * on top. On the card's paper it is drawn as the mask shows it: the wash and blot inside the
 * hemispheres, the rim around them, the folds.
 */

import { DATA } from "./data.js";
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

// The icon in the square at (x, y) of `side` (the context's units), over paper; `age` within
// the life (Perceptron years).
export function drawBrainIcon(ctx, x, y, side, stage, age, ink) {
  var icon = DATA.card.icon, d = icon.design, both = function () {
    ctx.beginPath();
    hemisphere(ctx, false);
    hemisphere(ctx, true);
  };
  ctx.save();
  ctx.translate(x, y);
  ctx.scale(side / d, side / d);
  ctx.save();
  both();
  ctx.clip();  // the wash and the blot show through the hemispheres only
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
  ctx.restore();
  ctx.strokeStyle = rgba(ink, 1);
  ctx.save();  // the rim: the silhouette's stroke, outside the hemispheres
  ctx.beginPath();
  ctx.rect(-icon.rim, -icon.rim, d + 2 * icon.rim, d + 2 * icon.rim);
  hemisphere(ctx, false);
  hemisphere(ctx, true);
  ctx.clip("evenodd");
  both();
  ctx.lineJoin = "round";
  ctx.lineWidth = 2 * icon.rim;
  ctx.stroke();
  ctx.restore();
  ctx.lineWidth = icon.fold;
  ctx.lineCap = "round";
  [false, true].forEach(function (mirror) {
    icon.folds.forEach(function (fold) {
      var p = fold.map(function (q) { return [mirror ? d - q[0] : q[0], q[1]]; });
      ctx.beginPath();
      ctx.moveTo(p[0][0], p[0][1]);
      ctx.bezierCurveTo(p[1][0], p[1][1], p[2][0], p[2][1], p[3][0], p[3][1]);
      ctx.stroke();
    });
  });
  ctx.restore();
}
