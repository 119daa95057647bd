/**
 * The rule tester hands a case only the facts its rule declares (`needs` for the case's options,
 * then `followUp`), so a rule that reads a fact it forgot to declare fails its own table.
 */
import { z } from "zod";
import { defineRule } from "../../src/engine/rule.js";
import { contentKey, known, pass, unknown, type Facts, type FactRequest } from "../../src/engine/types.js";
import { changed, pullRequest } from "./facts.js";
import { checkCase, declaredFacts } from "./rule-tester.js";

const noOptions = z.object({});

/** Passes when the pull request has a title; reads `pull`, declares what it is given. */
function titleRule(needs: FactRequest[]) {
  return defineRule({
    id: "title",
    area: "hygiene", subjects: ["pull"],
    description: "The pull request has a title.",
    options: noOptions,
    needs: () => needs,
    evaluate: (facts) => (facts.pull.known ? pass() : unknown(facts.pull.reason)),
  });
}

const everything: Partial<Facts> = { ...changed("src/a.ts"), pull: known(pullRequest()) };

describe("rule tester: only declared facts", () => {
  test("a rule that reads a fact it does not declare fails its valid case, saying the fact was not gathered", () => {
    const forgetful = titleRule([{ kind: "files" }]);
    expect(() => checkCase(forgetful, "valid", { name: "has a title", facts: everything })).toThrow(
      /expected pass, got unknown.*not gathered/,
    );
  });

  test("the same rule declaring the fact passes the same case", () => {
    const honest = titleRule([{ kind: "files" }, { kind: "pull" }]);
    expect(() => checkCase(honest, "valid", { name: "has a title", facts: everything })).not.toThrow();
  });

  test("needs are taken for the case's own options", () => {
    const draftRule = defineRule({
      id: "draft",
      area: "hygiene", subjects: ["pull"],
      description: "Not a draft, when asked.",
      options: z.object({ title: z.boolean().default(false), draft: z.boolean().default(false) }),
      // The bug under test: `draft` reads the pull request too but does not ask for it.
      needs: (o) => (o.title ? [{ kind: "pull" } as const] : []),
      evaluate: (facts, o) => {
        if (!o.title && !o.draft) return pass();
        return facts.pull.known ? pass() : unknown(facts.pull.reason);
      },
    });
    expect(() => checkCase(draftRule, "valid", { name: "title", facts: everything, options: { title: true } })).not.toThrow();
    expect(() => checkCase(draftRule, "valid", { name: "draft", facts: everything, options: { draft: true } })).toThrow(/not gathered/);
  });

  test("follow-up requests are answered; parameterised facts only for the parameters asked", () => {
    const contentRule = defineRule({
      id: "content",
      area: "hygiene", subjects: ["pull"],
      description: "Changed files have content at head.",
      options: z.object({ extra: z.string().optional() }),
      needs: () => [{ kind: "files" }],
      followUp: (facts) => (facts.files.known ? facts.files.value.map((f) => ({ kind: "content", ref: "head", path: f.path }) as const) : []),
      evaluate: (facts, o) => {
        const paths = facts.files.known ? facts.files.value.map((f) => f.path) : [];
        if (o.extra) paths.push(o.extra);
        const missing = paths.filter((p) => !facts.contents.get(contentKey("head", p))?.known);
        return missing.length === 0 ? pass() : unknown(`not gathered: ${missing.join(", ")}`);
      },
    });
    const facts: Partial<Facts> = {
      ...changed("src/a.ts"),
      contents: new Map([
        [contentKey("head", "src/a.ts"), known("a")],
        [contentKey("head", "README.md"), known("r")],
      ]),
    };
    expect(() => checkCase(contentRule, "valid", { name: "asked for", facts })).not.toThrow();
    expect(() => checkCase(contentRule, "valid", { name: "never asked for", facts, options: { extra: "README.md" } })).toThrow(
      /not gathered: README\.md/,
    );
  });

  test("teams by their normalised name, CODEOWNERS and trees by the ref asked for", () => {
    const rule = defineRule({
      id: "refs",
      area: "hygiene", subjects: ["pull"],
      description: "Reads what it declares.",
      options: noOptions,
      needs: () => [{ kind: "team", team: "@Acme/Core" }, { kind: "codeowners" }, { kind: "tree", ref: "base" }],
      evaluate: () => pass(),
    });
    const available: Partial<Facts> = {
      teams: new Map([
        ["acme/core", known(["ada"])],
        ["acme/other", known(["bob"])],
      ]),
      codeowners: known(null),
      headCodeowners: known(null),
      trees: { base: known(["a"]), head: known(["a", "b"]) },
      reviews: known([]),
    };
    const facts = declaredFacts(rule, {}, available);
    expect([...facts.teams.keys()]).toEqual(["acme/core"]);
    expect(facts.codeowners.known).toBe(true);
    expect(facts.headCodeowners).toEqual({ known: false, reason: expect.stringMatching(/not gathered/) });
    expect(facts.trees.base?.known).toBe(true);
    expect(facts.trees.head).toBeUndefined();
    expect(facts.reviews.known).toBe(false);
  });
});
