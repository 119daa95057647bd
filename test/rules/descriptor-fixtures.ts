/** Descriptor files for the service-descriptor and on-call tests: real formats, made-up services. */
import { contentKey, known } from "../../src/engine/types.js";
import type { Facts } from "../../src/engine/types.js";

export function repo(files: Record<string, string>): Partial<Facts> {
  return {
    trees: { head: known([...Object.keys(files), "src/index.ts", "README.md"]) },
    contents: new Map(Object.entries(files).map(([path, text]) => [contentKey("head", path), known<string | null>(text)])),
  };
}

export const BACKSTAGE = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger-api
  description: Double-entry ledger for shop payments
  annotations:
    github.com/project-slug: acme/ledger-api
    pagerduty.com/service-id: PLD42XY
  labels:
    tier: "1"
spec:
  type: service
  lifecycle: production
  owner: group:default/team-ledger
  system: payments
  dependsOn:
    - resource:default/ledger-db
  providesApis:
    - ledger-api
`;

export const BACKSTAGE_BARE = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger-api
spec:
  type: service
  owner: team-ledger
`;

export const BACKSTAGE_SYSTEM_ONLY = `apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: payments
spec:
  owner: team-ledger
`;

export const OPSLEVEL = `version: 1
service:
  name: Ledger API
  owner: team-ledger
  lifecycle: generally_available
  tier: tier_1
  system: payments
  dependencies:
    - ledger-db
  on_call: ledger-primary
`;

export const CORTEX = `openapi: 3.0.1
info:
  title: Ledger API
  x-cortex-tag: ledger-api
  x-cortex-type: service
  x-cortex-owners:
    - type: group
      name: team-ledger
  x-cortex-groups:
    - payments
  x-cortex-oncall:
    pagerduty:
      id: PLD42XY
      type: SCHEDULE
  x-cortex-slack:
    channels:
      - name: ledger-alerts
        notificationsEnabled: true
`;

export const PORT = `- identifier: ledger-api
  title: Ledger API
  blueprint: service
  team: team-ledger
  properties:
    lifecycle: Production
    slack_channel: "#ledger"
  relations:
    system: payments
    dependencies: [ledger-db]
`;
