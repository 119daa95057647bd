/** What `npm start` refuses to run with. */
import { expect, test } from "@jest/globals";
import { startupProblem } from "../../src/server.js";

test("an app with credentials but no WEBHOOK_SECRET does not start: Probot would check signatures against its public default", () => {
  for (const secret of [undefined, "", "  "]) {
    expect(startupProblem({ APP_ID: "4242", PRIVATE_KEY: "key", WEBHOOK_SECRET: secret })).toMatch(/^WEBHOOK_SECRET is not set/);
  }
  expect(startupProblem({ APP_ID: "4242", PRIVATE_KEY_PATH: "app.pem", NODE_ENV: "development" })).toMatch(/^WEBHOOK_SECRET is not set/);
});

test("with a secret, or before the app is registered (the setup page), nothing stands in the way", () => {
  expect(startupProblem({ APP_ID: "4242", PRIVATE_KEY: "key", WEBHOOK_SECRET: "s3cret" })).toBeUndefined();
  expect(startupProblem({})).toBeUndefined();
  expect(startupProblem({ APP_ID: "", WEBHOOK_SECRET: "" })).toBeUndefined();
});
