/* The refusal (ORIGINAL.md section 9): a Perceptron that cannot think (Dead, Rebirth, or a layer
 * with no living neuron) flashes a word instead of classifying: «GROWING», «AGING», «DEAD» or
 * «BIRTH» (scene.classifyRefusal), in a box with no dark overlay, flashing three times.
 */

import { rgba } from "./palette.js";
import { TREBUCHET, centredBox, font, panel, text } from "./widgets.js";

export var FLASH_FRAMES = 20;
export var FLASHES = 3;

// Whether the warning shows `t` frames after it was raised, and whether it is over. The
// original's counter: the word shows until the counter reaches 20 (frames 0-19); each switch
// after that restarts the counter at 0 on the frame the counter reached 20, a frame the old
// half keeps, so the later "off" halves last 21 frames and the "on" halves 19: shown on frames
// 0-19, 41-59 and 81-99, gone from frame 120.
export function flashShown(t) {
  if (t < 0 || flashOver(t)) return false;
  return t < FLASH_FRAMES || (t - FLASH_FRAMES) % (2 * FLASH_FRAMES) > FLASH_FRAMES;
}

export function flashOver(t) {
  return t >= 2 * FLASH_FRAMES * FLASHES;
}

// The box (600 x 150u, paper, an 8u pattern-colour outline, radius 25u) and the word (bold
// 75u, start colour, centred at (cx, cy + 5u)); `ctx` set by widgets.centred.
export function drawWarning(ctx, colors, word) {
  panel(ctx, centredBox(600, 150), 25, rgba(colors.paper, 1), rgba(colors.ink, 1), 8);
  font(ctx, 75, TREBUCHET, "bold");
  text(ctx, word, 0, 5, rgba(colors.start, 1), "center");
}
