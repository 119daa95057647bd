import { expect, test } from "@jest/globals";
import { createHmac } from "node:crypto";
import { settingsFromEnv } from "../../src/github/evaluate-pull.js";

test("defaults: check name 'readiness', no app id or slug", () => {
  const settings = settingsFromEnv({ WEBHOOK_SECRET: "s3cret" });
  expect(settings.checkName).toBe("readiness");
  expect(settings.appId).toBeUndefined();
  expect(settings.appSlug).toBeUndefined();
});

test("the fingerprint key is derived from the webhook secret, never the secret itself, and stable", () => {
  const a = settingsFromEnv({ WEBHOOK_SECRET: "s3cret" }).fingerprintKey;
  expect(a).not.toContain("s3cret");
  expect(a).toMatch(/^[0-9a-f]{64}$/);
  expect(settingsFromEnv({ WEBHOOK_SECRET: "s3cret" }).fingerprintKey).toBe(a);
  expect(settingsFromEnv({ WEBHOOK_SECRET: "other" }).fingerprintKey).not.toBe(a);
  // An HMAC keyed by the secret, not a bare hash of it.
  expect(a).toBe(createHmac("sha256", "s3cret").update("readiness-bot/finding-fingerprint/v1").digest("hex"));
});

test("READINESS_FINGERPRINT_KEY, READINESS_CHECK_NAME, APP_ID and APP_SLUG are taken as given", () => {
  const settings = settingsFromEnv({ WEBHOOK_SECRET: "s3cret", READINESS_FINGERPRINT_KEY: "explicit", READINESS_CHECK_NAME: " prod-readiness ", APP_ID: "123", APP_SLUG: "acme-readiness" });
  expect(settings).toEqual({ checkName: "prod-readiness", fingerprintKey: "explicit", appId: 123, appSlug: "acme-readiness" });
});

test("an APP_ID that is not a positive whole number is ignored rather than trusted", () => {
  expect(settingsFromEnv({ APP_ID: "abc" }).appId).toBeUndefined();
  expect(settingsFromEnv({ APP_ID: "-4" }).appId).toBeUndefined();
  expect(settingsFromEnv({ APP_ID: "" }).appId).toBeUndefined();
});
