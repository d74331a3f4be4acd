/* Base64 text to bytes (the model's weights, the kernel module). */

// The bytes of base64 `text` (whitespace ignored); throws where a character is outside the
// alphabet.
export function decodeBase64(text) {
  var binary = atob(text.split(/\s/).join(""));
  var bytes = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
