import type { AnyRule } from "../src/engine/rule.js";
import type { Registry } from "../src/engine/evaluate.js";
import codeowners from "./codeowners.js";
import docs from "./docs.js";
import fileExists from "./file-exists.js";
import healthProbes from "./health-probes.js";
import migrations from "./migrations.js";
import monitoring from "./monitoring.js";
import slo from "./slo.js";
import onCall from "./on-call.js";
import serviceDescriptor from "./service-descriptor.js";
import coverage from "./coverage.js";
import pinnedActions from "./pinned-actions.js";
import prSize from "./pr-size.js";
import reviews from "./reviews.js";
import rollbackPlan from "./rollback-plan.js";
import runbook from "./runbook.js";
import secrets from "./secrets.js";
import tests from "./tests.js";
import securityPolicy from "./security-policy.js";
import workflowPermissions from "./workflow-permissions/index.js";
import dependencyUpdates from "./dependency-updates.js";
import lockfile from "./lockfile.js";
import vulnerabilities from "./vulnerabilities.js";
import noBinaries from "./no-binaries.js";
import linkedIssue from "./linked-issue.js";
import fileContains from "./file-contains.js";
import changedTogether from "./changed-together.js";

/** Every rule the bot ships, keyed by id (= file name = YAML key). */
export const allRules: readonly AnyRule[] = [
  reviews,
  codeowners,
  tests,
  docs,
  secrets,
  pinnedActions,
  rollbackPlan,
  runbook,
  fileExists,
  prSize,
  healthProbes,
  coverage,
  serviceDescriptor,
  onCall,
  slo,
  monitoring,
  migrations,
  securityPolicy,
  workflowPermissions,
  dependencyUpdates,
  lockfile,
  vulnerabilities,
  noBinaries,
  linkedIssue,
  fileContains,
  changedTogether,
] as AnyRule[];

export const registry: Registry = new Map(allRules.map((rule) => [rule.id, rule]));
