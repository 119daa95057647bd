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
    ["😀", 4],
    ["😀😀", 8],
    ["🏳️", 7],
  ])("%j is %i bytes (a surrogate pair is four)", (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });

  test.each([
    ["a\ud800b", 5],
    ["\udc00", 3],
    ["\ud800", 3],
    ["\udc00\ud800", 6],
  ])("lone surrogate %j counts 3 bytes, as U+FFFD", (text, bytes) => {
    expect(utf8ByteLength(text)).toBe(bytes);
  });
});
