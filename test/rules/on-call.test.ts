import onCall from "../../rules/on-call.js";
import { unknownFact } from "../../src/engine/types.js";
import { ruleTester, runRule } from "../helpers/rule-tester.js";
import { BACKSTAGE, BACKSTAGE_BARE, CORTEX, OPSLEVEL, PORT, repo } from "./descriptor-fixtures.js";

ruleTester(onCall, {
  valid: [
    { name: "a Backstage PagerDuty annotation", facts: repo({ "catalog-info.yaml": BACKSTAGE }) },
    { name: "an Opsgenie annotation", facts: repo({ "catalog-info.yaml": BACKSTAGE.replace("pagerduty.com/service-id: PLD42XY", "opsgenie.com/team: ledger-oncall") }) },
    { name: "an incident.io annotation", facts: repo({ "catalog-info.yaml": BACKSTAGE.replace("pagerduty.com/service-id: PLD42XY", "incident.io/escalation-path: ledger-primary") }) },
    { name: "Cortex's x-cortex-oncall", facts: repo({ "cortex.yaml": CORTEX }) },
    { name: "OpsLevel's on_call", facts: repo({ "opslevel.yml": OPSLEVEL }) },
    { name: "a configured field", options: { fields: ['metadata.annotations["acme.com/escalation-policy"]'] }, facts: repo({ "catalog-info.yaml": BACKSTAGE_BARE.replace("  name: ledger-api\n", "  name: ledger-api\n  annotations:\n    acme.com/escalation-policy: ledger-p1\n") }) },
    { name: "named in the configuration: no descriptor needed", options: { rotation: "https://acme.pagerduty.com/escalation_policies/PX1Y2Z3" }, facts: repo({}) },
  ],
  invalid: [
    {
      name: "a Backstage Component without an on-call annotation",
      facts: repo({ "catalog-info.yaml": BACKSTAGE_BARE }),
      findings: [{ message: 'Backstage Component "ledger-api" in catalog-info.yaml names no on-call rotation: add an annotation under metadata.annotations: pagerduty.com/service-id', path: "catalog-info.yaml", line: 4 }],
    },
    { name: "an empty annotation does not count", facts: repo({ "catalog-info.yaml": BACKSTAGE.replace("PLD42XY", '""') }), findings: [{ message: "names no on-call rotation" }] },
    { name: "a Port entity without on_call", facts: repo({ "port.yml": PORT }), findings: [{ message: 'Port entity "ledger-api" in port.yml names no on-call rotation: add properties.on_call' }] },
    { name: "no descriptor", facts: repo({}), findings: [{ message: "no service descriptor (catalog-info.{yaml,yml}, .backstage/catalog-info.{yaml,yml}, opslevel.{yml,yaml} and 4 more) names an on-call rotation: add catalog-info.yaml with the annotation pagerduty.com/service-id" }] },
  ],
  unknown: [{ name: "the tree cannot be listed", facts: { trees: { head: unknownFact("GitHub answered 502") } }, reason: "cannot read the service descriptor: cannot list the repository's files: GitHub answered 502" }],
});

test("on-call: a pass names where the rotation is", () => {
  expect(runRule(onCall, {}, repo({ "catalog-info.yaml": BACKSTAGE }))).toMatchObject({ status: "pass", reason: 'Backstage Component "ledger-api": pagerduty.com/service-id' });
});
