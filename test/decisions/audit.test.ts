import { auditCsv, auditJson, auditRows } from "../../src/decisions/audit.js";
import { decisionsInForce } from "../../src/decisions/facts.js";
import type { StoredDecision } from "../../src/state/types.js";

const base = { installationId: 1, owner: "acme", repo: "shop", issueNumber: 7, commentId: 9, commentUrl: "https://github.com/acme/shop/pull/7#issuecomment-9" };
const entries: StoredDecision[] = [
  { ...base, id: 1, kind: "waive", target: "reviews", actor: "lead", reason: 'hotfix, "urgent"', pullNumber: 7, sha: "a".repeat(40), untilPush: true, expiresAt: "2026-03-04T10:00:00.000Z", createdAt: "2026-03-01T10:00:00.000Z" },
  { ...base, id: 2, kind: "attest", target: "dr-drill", actor: "sam", reason: "=HYPERLINK(\"x\")", issueNumber: 40, createdAt: "2026-03-02T10:00:00.000Z" },
  { ...base, id: 3, kind: "unwaive", target: "reviews", actor: "lead", reason: "", pullNumber: 7, createdAt: "2026-03-03T10:00:00.000Z" },
];

test("CSV: a header, one line per entry, quotes doubled, formulas neutralised, empty cells for what is absent", () => {
  const lines = auditCsv(entries).split("\r\n");
  expect(lines[0]).toBe("id,created_at,repository,kind,target,actor,reason,pull_number,issue_number,sha,until_push,expires_at,comment_url");
  expect(lines[1]).toBe(`1,2026-03-01T10:00:00.000Z,acme/shop,waive,reviews,lead,"hotfix, ""urgent""",7,7,${"a".repeat(40)},true,2026-03-04T10:00:00.000Z,https://github.com/acme/shop/pull/7#issuecomment-9`);
  expect(lines[2]).toBe(`2,2026-03-02T10:00:00.000Z,acme/shop,attest,dr-drill,sam,"'=HYPERLINK(""x"")",,40,,false,,https://github.com/acme/shop/pull/7#issuecomment-9`);
  expect(lines).toHaveLength(5);
  expect(lines[4]).toBe("");
});

test("JSON: every field present, nulls for what is absent", () => {
  const parsed = JSON.parse(auditJson(entries)) as { decisions: unknown[] };
  expect(parsed.decisions).toEqual(auditRows(entries));
  expect(parsed.decisions[1]).toMatchObject({ kind: "attest", pullNumber: null, sha: null, untilPush: false, expiresAt: null });
});

test("what is in force: the newest waive or unwaive of a rule on the pull request, every attestation", () => {
  expect(decisionsInForce(entries, 7)).toEqual({ waivers: [], attestations: [{ item: "dr-drill", by: "sam", evidence: '=HYPERLINK("x")', at: "2026-03-02T10:00:00.000Z" }] });
  expect(decisionsInForce(entries.slice(0, 2), 7).waivers).toEqual([
    { rule: "reviews", by: "lead", reason: 'hotfix, "urgent"', at: "2026-03-01T10:00:00.000Z", expiresAt: "2026-03-04T10:00:00.000Z", headSha: "a".repeat(40) },
  ]);
  expect(decisionsInForce(entries.slice(0, 2), 8).waivers).toEqual([]);
});
