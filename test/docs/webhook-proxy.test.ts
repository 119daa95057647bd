/** README's local webhook development matches what Probot 14 actually reads and loads. */
import { expect, test } from "@jest/globals";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const repoFile = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), "utf8");

test("README's Development section shows the webhook proxy with the variable and client Probot uses", () => {
  const readme = repoFile("README.md");
  const development = readme.slice(readme.indexOf("## Development"));
  // Probot reads the proxy URL from this variable ...
  expect(repoFile("node_modules/probot/lib/bin/read-env-options.js")).toMatch(/webhookProxy:\s*env\.WEBHOOK_PROXY_URL/);
  // ... and imports this client, at this major version, only when it is set.
  const imported = /npxImport\("smee-client@(\d+)\.[\d.]+"/.exec(repoFile("node_modules/probot/lib/helpers/webhook-proxy.js"));
  expect(imported).not.toBeNull();
  expect(development).toContain(`npm install --no-save smee-client@${imported![1]}`);
  expect(development).toMatch(/^WEBHOOK_PROXY_URL=https:\/\/smee\.io\/<channel> npm start$/m);
});
