import { utf8ByteLength } from "../../src/engine/text.js";

describe("utf8ByteLength", () => {
  test.each([
    ["", 0],
    ["a", 1],
    ["ascii", 5],
    ["é", 2],
    ["文", 3],
    ["→", 3],
    ["✅", 3],
    ["⚠️", 6],
    // A surrogate pair is one code point, four bytes.
    ["😀", 4],
    ["😀😀", 8],
    ["🏳️", 7],
    // A lone surrogate encodes as U+FFFD, three bytes.
    ["a\ud800b", 5],
    ["\udc00", 3],
    ["\ud800", 3],
    ["\udc00\ud800", 6],
  ])("%j is %i bytes", (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });
});
