/** The hostile suite's mention scan (harness `pings`): what GitHub would turn into a notification. */
import { expect, test } from "@jest/globals";
import { pings } from "./harness.js";

test.each([
  ["@someone", true],
  ["hi @someone.", true],
  ["`x`@someone", true],
  ["see `x`@someone", true],
  ["a`x`@someone", true],
  ["``a ` b``@someone", true],
  ["`@x/y@someone`", false],
  ["a@someone", false],
  ["_@someone", false],
  ["@someone-else", false],
  ["@SomeOne", true],
])("%j pings someone: %s", (text, expected) => {
  expect(pings(text, "someone")).toBe(expected);
});
