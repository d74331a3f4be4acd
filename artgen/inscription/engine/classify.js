/* artgen.classify: the class probabilities of an image and the phrase for the confidence. */

import { K } from "./data.js";
import { forward } from "./forward.js";

export function confidencePhrase(confidence) {
  for (var i = 0; i < K.phrases.length; i++) {
    if (confidence < K.phrases[i][0]) return K.phrases[i][1];
  }
  return K.certain;
}

export function classify(model, pixels, life) {
  var probs = forward(model, pixels, life), best = 0;
  for (var i = 1; i < probs.length; i++) if (probs[i] > probs[best]) best = i;
  return {
    probabilities: Array.prototype.slice.call(probs),
    top: model.classes[best],
    index: best,
    confidence: probs[best],
    phrase: confidencePhrase(probs[best])
  };
}
