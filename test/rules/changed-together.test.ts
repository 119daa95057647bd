import changedTogether from "../../rules/changed-together.js";
import { unknownFact } from "../../src/engine/types.js";
import { changed, changedFile } from "../helpers/facts.js";
import { ruleTester } from "../helpers/rule-tester.js";

const PAIRS = { pairs: [{ when: "proto/**", require: "gen/**", message: "run make generate" }, { when: ["db/schema.sql"], require: ["db/migrations/**"] }] };

ruleTester(changedTogether, {
  valid: [
    { name: "both sides changed", options: PAIRS, facts: changed("proto/cart.proto", "gen/cart_pb.ts") },
    { name: "a removal on the required side counts", options: PAIRS, facts: changed("db/schema.sql", changedFile("db/migrations/0003_old.sql", "removed")) },
  ],
  invalid: [
    {
      name: "a side left out",
      options: PAIRS,
      facts: changed("proto/cart.proto", "db/schema.sql", "db/migrations/0004_totals.sql"),
      findings: [{ message: "proto/cart.proto changed, but nothing matching gen/**: change it in this pull request too (run make generate)" }],
    },
    { name: "a rename out of the watched paths counts as a change", options: PAIRS, facts: changed(changedFile("archive/cart.proto", "renamed", "proto/cart.proto")), findings: [{ message: "proto/cart.proto changed" }] },
  ],
  skipped: [{ name: "nothing watched changed", options: PAIRS, facts: changed("src/app.ts"), reason: "no changed file matches" }],
  unknown: [{ name: "files unknown", options: PAIRS, facts: { files: unknownFact("GitHub answered 502") }, reason: "GitHub answered 502" }],
});

describe("options", () => {
  it("need at least one pair", () => {
    expect(changedTogether.options.safeParse({}).success).toBe(false);
  });
});
