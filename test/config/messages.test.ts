import { validateConfigText } from "../../src/config/load.js";
import type { ConfigOrigin } from "../../src/config/types.js";
import { renderConfigErrorsText } from "../../src/render/config-errors.js";
import { registry } from "../../rules/index.js";

const origin: ConfigOrigin = { repository: "local", path: ".readiness.yml" };
/** The compiler-style lines `readiness validate` prints, without the count. */
const linesFor = (content: string): string[] => renderConfigErrorsText(origin, validateConfigText(content, origin, registry)).trimEnd().split("\n").slice(0, -1);

describe("configuration messages a person can act on: key, expected YAML type, line and column, a suggestion", () => {
  test.each<[string, string, string[]]>([
    ["a number where text or a list is expected says what was expected", "extends: 42\n", [".readiness.yml:1:1: extends: expected text or a list (- item lines, or [a, b]), got the number 42"]],
    ["a wrong item inside a list says which item and what it should be", "extends: [readiness:recommended, 42]\n", [".readiness.yml:1:34: extends[1]: expected text, got the number 42"]],
    ["a list where a mapping is expected says mapping", "rules: [tests]\n", [".readiness.yml:1:1: rules: expected a mapping (key: value lines), got a list"]],
    ["an option of the wrong type names YAML types", "rules:\n  reviews:\n    approvals: [2]\n", [".readiness.yml:3:5: rules.reviews.approvals: expected a number, got a list"]],
    ["text where a list is expected", "levels: bronze\n", [".readiness.yml:1:1: levels: expected a list (- item lines, or [a, b]), got \"bronze\""]],
    ["a duplicate key names the key", "rules:\n  tests: bronze\n  tests: silver\n", ['.readiness.yml:3:3: duplicate key "tests": each key may appear only once in a mapping; remove one or merge them']],
    ["a duplicate level names the level", "levels: [bronze, silver, bronze]\n", ['.readiness.yml:1:26: levels[2]: level "bronze" is listed twice: level names must be unique']],
    ["more than one YAML document is said in YAML words", "rules:\n  tests: bronze\n---\nlevel: gold\n", [".readiness.yml:3:1: the file has more than one YAML document (---); a configuration is one document: remove the --- line and what follows, or merge it into the first"]],
    ["an indentation error points at the misplaced text, not column 1", "rules:\n  tests: bronze\n docs: silver\n", [".readiness.yml:3:2: this line is not indented like the lines around it: align it with its siblings (keys of one mapping start at the same column)"]],
    ['"of" for a rule suggests "off"', "rules:\n  reviews: of\n", ['.readiness.yml:2:3: rules.reviews: unknown level "of". Did you mean "off"? Levels are bronze, silver, gold (set them with `levels:`).']],
    ["an unknown key under when is named, with a suggestion", "rules:\n  docs:\n    when: {pathz: [\"src/**\"]}\n", ['.readiness.yml:3:12: rules.docs.when.pathz: unknown condition "pathz". Did you mean "paths"?']],
    ["a swapped pair of letters is still recognised", "levle: gold\n", ['.readiness.yml:1:1: levle: unknown key "levle". Did you mean "level"?']],
    ["a binary file is one error, not a list of YAML errors", "\u0089PNG\r\n\u001a\n\u0000\u0000\u0000\rIHDR\u0000\u0000\u0001\u0000:\n\t-{[", [".readiness.yml:1:1: not a text file: it contains NUL bytes or bytes that are not UTF-8; a configuration is UTF-8 YAML text"]],
    ["bytes that are not UTF-8 are not text either", "rules:\n  tests: \uFFFD\uFFFD\n", [".readiness.yml:1:1: not a text file: it contains NUL bytes or bytes that are not UTF-8; a configuration is UTF-8 YAML text"]],
  ])("%s", (_name, content, expected) => {
    expect(linesFor(content)).toEqual(expected);
  });
});
