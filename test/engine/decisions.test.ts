import { withDecisions, waiverLapse } from "../../src/engine/decisions.js";
import type { RuleResult } from "../../src/engine/evaluate.js";
import { makeFacts } from "../../src/engine/facts.js";
import { known, unknownFact } from "../../src/engine/types.js";
import type { DecisionsFact } from "../../src/engine/types.js";

const failing: RuleResult = { id: "docs", area: "documentation", description: "Docs change with code.", level: "bronze", blocking: true, status: "fail", findings: [{ message: "no docs" }] };
const passing: RuleResult = { ...failing, id: "tests", status: "pass", findings: [] };
const config = {
  levels: ["bronze", "silver", "gold"],
  required: "silver",
  attestations: [{ id: "dr-drill", description: "DR drill done", by: ["acme/sre"], permission: "admin" as const, every: "180d", everyMs: 180 * 86_400_000, level: "silver" }],
};
const decisions = (over: Partial<DecisionsFact>) => makeFacts({ decisions: known({ now: "2026-03-01T10:00:00.000Z", headSha: "a".repeat(40), waivers: [], attestations: [], ...over }) });
const waiver = { rule: "docs", by: "lead", reason: "hotfix", at: "2026-03-01T09:00:00.000Z" };

test.each([
  ["no expiry, no head", waiver, undefined],
  ["before expiry", { ...waiver, expiresAt: "2026-03-01T10:00:01.000Z" }, undefined],
  ["at expiry", { ...waiver, expiresAt: "2026-03-01T10:00:00.000Z" }, "expired 2026-03-01 10:00 UTC"],
  ["same head", { ...waiver, headSha: "a".repeat(40) }, undefined],
  ["another head", { ...waiver, headSha: "b".repeat(40) }, "revoked by a push (it held until the head moved from bbbbbbb)"],
])("waiver lapse: %s", (_name, w, expected) => {
  expect(waiverLapse(w, { now: "2026-03-01T10:00:00.000Z", headSha: "a".repeat(40) })).toBe(expected);
});

test("a waiver turns a failing rule into waived with who, why and expiry; a passing rule stays a pass", () => {
  const [docs, tests] = withDecisions([failing, passing], { ...config, attestations: [] }, decisions({ waivers: [{ ...waiver, expiresAt: "2026-03-04T10:00:00.000Z" }, { ...waiver, rule: "tests" }] }));
  expect(docs).toMatchObject({ status: "waived", reason: "waived by @lead: hotfix (expires 2026-03-04 10:00 UTC)" });
  expect(tests).toEqual(passing);
});

test("the newest waiver of a rule counts; a lapsed one leaves the rule failing with a note", () => {
  const [docs] = withDecisions([failing], { ...config, attestations: [] }, decisions({ waivers: [waiver, { ...waiver, reason: "later", expiresAt: "2026-03-01T09:30:00.000Z" }] }));
  expect(docs!.status).toBe("fail");
  expect(docs!.findings.at(-1)).toEqual({ message: "The waiver by @lead (later) no longer applies: expired 2026-03-01 09:30 UTC.", severity: "notice" });
});

test("attestation items: never attested fails, attested passes until `every` has passed, then fails saying when and who", () => {
  const item = (facts: ReturnType<typeof makeFacts>) => withDecisions([], config, facts)[0]!;
  expect(item(decisions({}))).toMatchObject({ id: "attestation:dr-drill", status: "fail", level: "silver", blocking: true, findings: [{ message: "DR drill done: never attested." }] });
  const attested = { item: "dr-drill", by: "sam", evidence: "https://wiki/drill", at: "2025-09-02T10:00:00.000Z" };
  expect(item(decisions({ attestations: [attested], now: "2026-03-01T09:59:59.000Z" }))).toMatchObject({ status: "pass", reason: "last attested by @sam on 2025-09-02 10:00 UTC (https://wiki/drill); valid until 2026-03-01 10:00 UTC" });
  expect(item(decisions({ attestations: [attested] })).findings).toEqual([
    { message: "DR drill done: the attestation expired on 2026-03-01 10:00 UTC (every 180d); last attested by @sam on 2025-09-02 10:00 UTC (https://wiki/drill)." },
  ]);
  expect(item(makeFacts({ decisions: unknownFact("not available locally") }))).toMatchObject({ status: "unknown", reason: "not available locally" });
});

test("a waiver on record for a rule the baseline now locks (or lists not waivable) no longer applies, and says why", () => {
  const waivers = { allowed: [], permission: "admin" as const, notWaivable: [{ rule: "docs", by: "acme/.github:.readiness.yml (line 5)", locked: true }] };
  const [docs] = withDecisions([failing], { ...config, attestations: [], waivers }, decisions({ waivers: [waiver] }));
  expect(docs!.status).toBe("fail");
  expect(docs!.findings.at(-1)).toEqual({ message: "The waiver by @lead (hotfix) no longer applies: acme/.github:.readiness.yml (line 5) locks this rule.", severity: "notice" });
});
