/* What the page's cards are drawn from (ORIGINAL.md sections 8-10 and 14): units u about the
 * canvas centre, rounded boxes, text and buttons.
 *
 * Every card is centred on (cx, cy) and sized in u = min(W, H) / 1024, so it looks the same in
 * any window and in a 4096 px export: `centred` sets the context to draw in u about the
 * centre. Text is placed as the original's CENTER places it: q5 sets the canvas's
 * textBaseline to "middle", the middle of the em box (Chromium: half the font's OS/2 typo
 * ascent less its typo descent, normalised to one em, above the alphabetic baseline).
 */

import { DATA } from "./data.js";
import { rgba } from "./palette.js";

// The original's fonts (ORIGINAL.md section 14), else a face about as wide (as the Python card
// draws DejaVu Sans at 88.5% of its width). Where they are missing the original falls back to
// the browser's default face (DejaVu Sans on Debian, about 10% wider), and there the settings
// card's first label runs into its «(*) Invalid Address» note; the condensed face keeps the
// layout Trebuchet MS and Tahoma give.
export var TREBUCHET = '"Trebuchet MS", "DejaVu Sans Condensed", sans-serif';
export var TAHOMA = 'Tahoma, "DejaVu Sans Condensed", sans-serif';

// Sets `ctx` to draw in u about the centre of a W x H canvas; the canvas's half-width and
// half-height in u.
export function centred(ctx, width, height) {
  var u = Math.min(width, height) / 1024;
  ctx.translate(width / 2, height / 2);
  ctx.scale(u, u);
  return { u: u, halfWidth: width / 2 / u, halfHeight: height / 2 / u };
}

// The point (px, py) in pixels of a W x H canvas, in u about its centre.
export function toUnits(width, height, px, py) {
  var u = Math.min(width, height) / 1024;
  return [(px - width / 2) / u, (py - height / 2) / u];
}

// Whether the point p lies inside the box [x0, y0, x1, y1].
export function inside(b, p) {
  return !!p && p[0] > b[0] && p[0] < b[2] && p[1] > b[1] && p[1] < b[3];
}

export function font(ctx, size, family, style) {
  ctx.font = (style ? style + " " : "") + size + "px " + family;
}

// A box [x0, y0, x1, y1] with corners of radius r (only the top ones with `topOnly`) as the
// current path.
export function rounded(ctx, b, r, topOnly) {
  ctx.beginPath();
  ctx.moveTo(b[0] + r, b[1]);
  ctx.arcTo(b[2], b[1], b[2], b[3], r);
  if (topOnly) {
    ctx.lineTo(b[2], b[3]);
    ctx.lineTo(b[0], b[3]);
  } else {
    ctx.arcTo(b[2], b[3], b[0], b[3], r);
    ctx.arcTo(b[0], b[3], b[0], b[1], r);
  }
  ctx.arcTo(b[0], b[1], b[2], b[1], r);
  ctx.closePath();
}

// A filled box with an outline (`stroke` null: none).
export function panel(ctx, b, r, fill, stroke, width) {
  rounded(ctx, b, r);
  ctx.fillStyle = fill;
  ctx.fill();
  if (stroke) {
    ctx.strokeStyle = stroke;
    ctx.lineWidth = width;
    ctx.stroke();
  }
}

// A box `w` x `h` centred on the canvas centre.
export function centredBox(w, h) {
  return [-w / 2, -h / 2, w / 2, h / 2];
}

// `words` with their vertical middle on y (the original's CENTER), aligned on x ("left",
// "right" or "center"), in the current font; `outline`: a 1u stroke in that colour too.
export function text(ctx, words, x, y, color, align, outline) {
  placed(ctx, words, x, y, color, align, "middle");
  if (outline) {
    ctx.lineWidth = 1;
    ctx.strokeStyle = outline;
    ctx.strokeText(words, x, y);
  }
}

// `words` on their baseline at y.
export function baselineText(ctx, words, x, y, color, align) {
  placed(ctx, words, x, y, color, align, "alphabetic");
}

function placed(ctx, words, x, y, color, align, baseline) {
  ctx.textAlign = align || "left";
  ctx.textBaseline = baseline;
  ctx.fillStyle = color;
  ctx.fillText(words, x, y);
}

// A button (ORIGINAL.md section 8): a 1u outline in the pattern colour, radius 5u, a bold 20u
// label centred 54% of the way down; paper with start-colour text, or the reverse on hover.
export function button(ctx, b, label, colors, hover) {
  var style = DATA.card.button;
  panel(ctx, b, style[2], rgba(hover ? colors.start : colors.paper, 1), rgba(colors.ink, 1), 1);
  font(ctx, style[3], TREBUCHET, "bold");
  text(ctx, label, (b[0] + b[2]) / 2, b[1] + style[4] * (b[3] - b[1]), rgba(hover ? colors.paper : colors.start, 1), "center");
}

// The canvas dimmed by black at `alpha`.
export function dim(ctx, view, alpha) {
  ctx.fillStyle = "rgba(0,0,0," + alpha + ")";
  ctx.fillRect(-view.halfWidth, -view.halfHeight, 2 * view.halfWidth, 2 * view.halfHeight);
}

// Fills {name} marks of one of our sentences (artgen.animation.card.TEXTS, str.format's way).
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, function (m, name) { return String(values[name]); });
}
