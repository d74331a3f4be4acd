/* The page's window and document (absent where the engine runs without a page). */

export var root = globalThis;
export var doc = root.document;

// A new `tag` element with inline `style`, appended to `parent` when given.
export function element(tag, style, parent) {
  var el = doc.createElement(tag);
  if (style) el.style.cssText = style;
  if (parent) parent.appendChild(el);
  return el;
}
