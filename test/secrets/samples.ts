/**
 * True- and false-positive samples for every built-in rule. Values are fake but format-valid,
 * generated at run time from a seeded generator and concatenation, so this repository contains
 * no string that looks like a live credential to push-protection scanners.
 *
 * A positive is a text in which the rule must find exactly one secret (and nothing else must be
 * reported); a negative is a text in which the rule must find nothing.
 */
import { crc32 as zlibCrc32 } from "node:zlib";
import { namedStreams } from "../helpers/prng.js";

/**
 * Deterministic: the same samples on every run. Each rule's samples draw from a stream seeded by
 * the rule's id (see SAMPLES), so adding or editing one rule's samples changes no other rule's.
 */
const streams = namedStreams(0x2545f491);
const next = streams.draw;
const withStream = streams.within;

export const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const LOWER = "abcdefghijklmnopqrstuvwxyz";
export const DIGITS = "0123456789";
export const B62 = UPPER + LOWER + DIGITS;
export const HEX = "0123456789abcdef";
export const B64 = B62 + "+/";
export const B64URL = B62 + "_-";

/** n characters from the alphabet; every character class of a mixed alphabet shows up. */
export function pick(alphabet: string, n: number): string {
  for (;;) {
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(next() * alphabet.length)];
    const lowerOk = !/[a-z]/.test(alphabet) || /[a-z]/.test(out) || n < 8;
    const upperOk = !/[A-Z]/.test(alphabet) || /[A-Z]/.test(out) || n < 8;
    const digitOk = !/[0-9]/.test(alphabet) || /[0-9]/.test(out) || n < 8;
    // Keep generated values clear of placeholder shapes (a generated "xxxx" would be ignored, rightly).
    const clean = !/x{4}|example|sample|your|fake|dummy|redacted|placeholder|(.)\1{3}/i.test(out);
    if (lowerOk && upperOk && digitOk && clean) return out;
  }
}

const BASE62_ALPHABET = DIGITS + UPPER + LOWER;
function base62(value: number, width: number): string {
  let out = "";
  for (let v = value; v > 0; v = Math.floor(v / 62)) out = BASE62_ALPHABET[v % 62] + out;
  return out.padStart(width, "0");
}

/** A token in GitHub's and npm's format: prefix, 30 random base62, CRC32 (zlib's) in 6 base62 digits. */
export function checksummed(prefix: string): string {
  const random = pick(B62, 30);
  return prefix + random + base62(zlibCrc32(random), 6);
}

/** The same shape with a checksum that does not match. */
export function badChecksum(prefix: string): string {
  const good = checksummed(prefix);
  const last = good[good.length - 1] === "A" ? "B" : "A";
  return good.slice(0, -1) + last;
}

const uuid = () => `${pick(HEX, 8)}-${pick(HEX, 4)}-${pick(HEX, 4)}-${pick(HEX, 4)}-${pick(HEX, 12)}`;
const b64 = (text: string) => Buffer.from(text, "latin1").toString("base64");
const b64url = (text: string) => Buffer.from(text, "latin1").toString("base64url");
const quoted = (value: string) => `export const value = "${value}";`;

function pemLines(count: number): string {
  return Array.from({ length: count }, () => pick(B64, 64)).join("\n");
}

function jwtOf(header: object, withSignature = true): string {
  const h = b64url(JSON.stringify(header));
  const p = b64url(JSON.stringify({ sub: pick(DIGITS, 10), name: "Build Bot", iat: 1700000000 }));
  return withSignature ? `${h}.${p}.${pick(B64URL, 43)}` : `${h}.${p}`;
}

export interface RuleSamples {
  readonly positives: readonly string[];
  readonly negatives: readonly string[];
}

export interface FileRuleSamples {
  readonly positivePaths: readonly string[];
  readonly negativePaths: readonly string[];
}

export const FILE_SAMPLES: Readonly<Record<string, FileRuleSamples>> = {
  "pkcs12-file": { positivePaths: ["certs/server.p12", "deploy/signing.pfx"], negativePaths: ["docs/p12-format.md", "certs/server.crt"] },
  "java-keystore-file": { positivePaths: ["android/app/release.jks", "conf/server.keystore"], negativePaths: ["docs/keystore.md"] },
  "keepass-database-file": { positivePaths: ["ops/passwords.kdbx"], negativePaths: ["ops/kdbx-notes.txt"] },
};

const hex = (n: number) => pick(HEX, n);
const b62 = (n: number) => pick(B62, n);
const upperDigits = (n: number) => pick(UPPER + DIGITS, n);
const lowerDigits = (n: number) => pick(LOWER + DIGITS, n);

/** Per rule, how its samples are drawn; SAMPLES runs each on the rule's own stream. */
const SAMPLE_SOURCES: Readonly<Record<string, () => RuleSamples>> = {
  "aws-access-key-id": () => ({
    positives: [quoted("AKIA" + upperDigits(16)), `aws_access_key_id = ASIA${upperDigits(16)}`],
    negatives: [
      quoted("AKIA" + pick(LOWER, 16)),
      quoted("AKIA" + upperDigits(15)),
      quoted("AKIA" + upperDigits(17)),
      quoted("AKIAIOSFODNN7" + "EXAMPLE"),
      quoted("XAKIA" + upperDigits(16)),
    ],
  }),
  "aws-secret-access-key": () => ({
    positives: [`aws_secret_access_key = ${pick(B64, 40)}`, `{ "SecretAccessKey": "${pick(B64, 40)}" }`],
    negatives: [
      `aws_secret_access_key = ${"abcd".repeat(10)}`,
      `aws_secret_access_key = ${pick(B64, 39)}`,
      `aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCY${"EXAMPLE"}KEY`,
      "aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}",
    ],
  }),
  "gcp-service-account-key": () => ({
    positives: [
      [
        "{",
        '  "type": "service_account",',
        '  "project_id": "demo-project",',
        `  "private_key_id": "${hex(40)}",`,
        `  "private_key": "-----BEGIN PRIVATE KEY-----\\n${pick(B64, 64)}\\n${pick(B64, 64)}\\n${pick(B64, 40)}\\n-----END PRIVATE KEY-----\\n",`,
        '  "client_email": "deployer@demo-project.iam.gserviceaccount.com"',
        "}",
      ].join("\n"),
    ],
    negatives: [
      `{ "type": "service_account", "private_key": "<paste the key here>" }`,
      `{ "type": "authorized_user", "private_key_id": "${hex(40)}" }`,
    ],
  }),
  "gcp-api-key": () => ({
    positives: [quoted("AIza" + pick(B64URL, 35))],
    negatives: [quoted("AIza" + pick(B64URL, 34)), quoted("AIza" + "x".repeat(35)), quoted("aiza" + pick(B64URL, 35))],
  }),
  "google-oauth-client-secret": () => ({
    positives: [quoted("GOCSPX-" + pick(B64URL, 28))],
    negatives: [quoted("GOCSPX-" + pick(B64URL, 27)), quoted("GOCSPX-" + pick(B64URL, 29))],
  }),
  "google-oauth-access-token": () => ({
    positives: [`Authorization: OAuth ya29.${pick(B64URL, 120)}`],
    negatives: [quoted("ya29." + pick(B64URL, 12))],
  }),
  "firebase-cloud-messaging-server-key": () => ({
    positives: [quoted(`AAAA${pick(B64URL, 7)}:APA91b${pick(B64URL, 134)}`)],
    negatives: [quoted(`AAAA${pick(B64URL, 7)}:APA91b${pick(B64URL, 100)}`), quoted(`AAAA${pick(B64URL, 5)}:APA91b${pick(B64URL, 134)}`)],
  }),
  "azure-storage-account-key": () => ({
    positives: [`DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=${pick(B64, 86)}==;EndpointSuffix=core.windows.net`],
    negatives: [
      `DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=${pick(B64, 40)}==;`,
      "DefaultEndpointsProtocol=https;AccountName=demo;AccountKey=<your-account-key>;",
    ],
  }),
  "azure-shared-access-key": () => ({
    positives: [`Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${pick(B64, 43)}=`],
    negatives: [`Endpoint=sb://demo.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=${pick(B64, 20)}=`],
  }),
  "azure-entra-client-secret": () => ({
    positives: [`AZURE_CLIENT_SECRET=${b62(3)}8Q~${pick(B62 + "_~.-", 34)}`],
    negatives: [`AZURE_CLIENT_SECRET=${pick(LOWER, 4)}Q~${pick(B62, 34)}`, `x = "${b62(3)}8Q~${b62(20)}"`],
  }),
  "microsoft-teams-webhook": () => ({
    positives: [`url: https://acme.webhook.office.com/webhookb2/${uuid()}@${uuid()}/IncomingWebhook/${hex(32)}/${uuid()}`],
    negatives: [`url: https://acme.webhook.office.com/webhookb2/${uuid()}@${uuid()}/`],
  }),
  "digitalocean-token": () => ({
    positives: [quoted("dop_v1_" + hex(64))],
    negatives: [quoted("dop_v1_" + hex(63)), quoted("dop_v2_" + hex(64))],
  }),
  "alibaba-access-key-id": () => ({
    positives: [`access_key_id: LTAI${b62(16)}`],
    negatives: [`access_key_id: LTAI${b62(8)}`],
  }),
  "tencent-secret-id": () => ({
    positives: [quoted("AKID" + b62(32))],
    negatives: [quoted("AKID" + b62(31)), quoted("AKID" + b62(33))],
  }),
  "heroku-api-key": () => ({
    positives: [quoted("HRKU-AA" + pick(B64URL, 58))],
    negatives: [quoted("HRKU-" + hex(32))],
  }),
  "supabase-access-token": () => ({ positives: [quoted("sbp_" + hex(40))], negatives: [quoted("sbp_" + hex(39))] }),
  "supabase-secret-key": () => ({ positives: [quoted("sb_secret_" + pick(B64URL, 31))], negatives: [quoted("sb_secret_" + b62(10))] }),
  "vault-token": () => ({ positives: [`VAULT_TOKEN=hvs.${pick(B64URL, 95)}`], negatives: [`VAULT_TOKEN=hvs.${b62(24)}`] }),
  "terraform-cloud-token": () => ({
    positives: [`token = "${b62(14)}.atlasv1.${pick(B64URL, 67)}"`],
    negatives: [`token = "${b62(10)}.atlasv1.${pick(B64URL, 67)}"`],
  }),
  "doppler-token": () => ({ positives: [quoted("dp.st." + b62(43))], negatives: [quoted("dp.zz." + b62(43)), quoted("dp.st." + b62(20))] }),
  "pulumi-access-token": () => ({ positives: [quoted("pul-" + hex(40))], negatives: [quoted("pul-" + hex(20))] }),
  "grafana-service-account-token": () => ({
    positives: [quoted(`glsa_${b62(32)}_${hex(8)}`)],
    negatives: [quoted(`glsa_${b62(32)}`)],
  }),
  "grafana-cloud-token": () => ({ positives: [quoted("glc_" + pick(B64, 80) + "=")], negatives: [quoted("glc_" + b62(10))] }),
  "fly-io-token": () => ({ positives: [`FLY_API_TOKEN="FlyV1 fm2_${pick(B64 + "_,-", 200)}"`], negatives: [`"FlyV1 fm2_${b62(20)}"`] }),
  "netlify-access-token": () => ({ positives: [quoted("nfp_" + b62(36))], negatives: [quoted("nfp_" + b62(30))] }),
  "render-api-key": () => ({ positives: [quoted("rnd_" + b62(32))], negatives: ["const rnd_seed = 42;"] }),
  "neon-api-key": () => ({ positives: [quoted("napi_" + lowerDigits(64))], negatives: [quoted("napi_" + lowerDigits(32))] }),
  "planetscale-token": () => ({ positives: [quoted("pscale_tkn_" + b62(43))], negatives: [quoted("pscale_tkn_" + b62(10))] }),
  "tailscale-key": () => ({
    positives: [quoted(`tskey-auth-${b62(12)}-${b62(30)}`)],
    negatives: [quoted(`tskey-auth-${b62(12)}`), quoted(`tskey-other-${b62(12)}-${b62(30)}`)],
  }),
  "kubeconfig-client-key": () => ({
    positives: [`    client-key-data: ${b64("-----BEGIN RSA PRIVATE KEY-----\n" + pemLines(2))}`],
    negatives: [`    client-key-data: ${b64("-----BEGIN CERTIFICATE-----\n" + pemLines(2))}`],
  }),
  "github-classic-token": () => ({
    positives: [quoted(checksummed("ghp_")), `GITHUB_TOKEN=${checksummed("ghp_")}`],
    negatives: [quoted(badChecksum("ghp_")), quoted("ghp_" + "x".repeat(36)), quoted("ghp_" + b62(35))],
  }),
  "github-fine-grained-token": () => ({
    positives: [quoted(`github_pat_${b62(22)}_${b62(59)}`)],
    negatives: [quoted(`github_pat_${b62(22)}_${b62(58)}`)],
  }),
  "github-oauth-token": () => ({ positives: [quoted(checksummed("gho_"))], negatives: [quoted(badChecksum("gho_"))] }),
  "github-app-token": () => ({
    positives: [quoted(checksummed("ghs_")), quoted(checksummed("ghu_"))],
    negatives: [quoted(badChecksum("ghs_")), quoted(badChecksum("ghu_"))],
  }),
  "github-refresh-token": () => ({ positives: [quoted("ghr_" + b62(76))], negatives: [quoted("ghr_" + b62(20))] }),
  "gitlab-personal-token": () => ({ positives: [quoted("glpat-" + pick(B64URL, 20))], negatives: [quoted("glpat-" + b62(10))] }),
  "gitlab-deploy-token": () => ({ positives: [quoted("gldt-" + pick(B64URL, 20))], negatives: [quoted("gldt-" + b62(8))] }),
  "gitlab-runner-token": () => ({ positives: [quoted("glrt-" + pick(B64URL, 20))], negatives: [quoted("glrt-" + b62(8))] }),
  "gitlab-runner-registration-token": () => ({
    positives: [quoted("GR1348941" + pick(B64URL, 20))],
    negatives: [quoted("GR1348941" + b62(10))],
  }),
  "gitlab-pipeline-trigger-token": () => ({ positives: [quoted("glptt-" + hex(40))], negatives: [quoted("glptt-" + hex(39) + "g")] }),
  "gitlab-oauth-secret": () => ({ positives: [quoted("gloas-" + hex(64))], negatives: [quoted("gloas-" + hex(60))] }),
  "bitbucket-app-password": () => ({ positives: [quoted("ATBB" + b62(32))], negatives: [quoted("ATBB" + b62(31))] }),
  "bitbucket-access-token": () => ({
    positives: [quoted("ATCTT3xFfGN0" + pick(B64URL + "=", 183))],
    negatives: [quoted("ATCTT3xFfGN0" + b62(40))],
  }),
  "atlassian-api-token": () => ({
    positives: [quoted("ATATT3xFfGF0" + pick(B64URL + "=", 180))],
    negatives: [quoted("ATATT3xFfGF0" + b62(40))],
  }),
  "buildkite-token": () => ({ positives: [quoted("bkua_" + hex(40))], negatives: [quoted("bkua_" + hex(30))] }),
  "circleci-token": () => ({ positives: [quoted(`CCIPAT_${b62(22)}_${hex(40)}`)], negatives: [quoted(`CCIPAT_${b62(22)}`)] }),
  "harness-token": () => ({
    positives: [quoted(`pat.${pick(B64URL, 22)}.${hex(24)}.${b62(20)}`)],
    negatives: [quoted(`pat.${pick(B64URL, 22)}.${hex(24)}`)],
  }),
  "octopus-deploy-api-key": () => ({
    positives: [`OCTOPUS_API_KEY=API-${upperDigits(26)}`],
    negatives: ["headers['API-VERSION'] = '2'", quoted("API-" + upperDigits(20))],
  }),
  "sourcegraph-token": () => ({
    positives: [quoted(`sgp_${hex(16)}_${hex(40)}`), quoted(`sgp_local_${hex(40)}`)],
    negatives: [quoted(`sgp_${hex(40)}`)],
  }),
  "sonar-token": () => ({ positives: [quoted("sqp_" + hex(40))], negatives: [quoted("sqx_" + hex(40))] }),
  "infracost-api-key": () => ({ positives: [quoted("ico-" + b62(32))], negatives: [quoted("ico-" + b62(12))] }),
  "npm-access-token": () => ({
    positives: [`//registry.npmjs.org/:_authToken=${checksummed("npm_")}`],
    // In an .npmrc's _authToken it would still be a credential (npmrc-auth): the near miss stands alone.
    negatives: [quoted(badChecksum("npm_"))],
  }),
  "pypi-upload-token": () => ({
    positives: [`password = pypi-AgEIcHlwaS5vcmc${pick(B64URL, 70)}`],
    negatives: [`password = pypi-${pick(B64URL, 70)}`],
  }),
  "rubygems-api-key": () => ({ positives: [quoted("rubygems_" + hex(48))], negatives: [quoted("rubygems_" + hex(40))] }),
  "docker-hub-token": () => ({ positives: [quoted("dckr_pat_" + pick(B64URL, 27))], negatives: [quoted("dckr_pat_" + b62(10))] }),
  "nuget-api-key": () => ({ positives: [quoted("oy2" + lowerDigits(43))], negatives: [quoted("oy2" + lowerDigits(40))] }),
  "crates-io-token": () => ({ positives: [quoted("cio" + b62(32))], negatives: [quoted("cio" + b62(31)), "const precious = 1;"] }),
  "jfrog-api-key": () => ({ positives: [quoted("AKCp" + b62(69))], negatives: [quoted("AKCp" + b62(40))] }),
  "jfrog-reference-token": () => ({ positives: [quoted("cmVmdGtu" + b62(56))], negatives: [quoted("cmVmdGtu" + b62(30))] }),
  "clojars-token": () => ({ positives: [quoted("CLOJARS_" + lowerDigits(60))], negatives: [quoted("CLOJARS_" + lowerDigits(30))] }),
  "slack-bot-token": () => ({
    positives: [quoted(`xoxb-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${b62(24)}`)],
    negatives: [quoted(`xoxb-${pick(DIGITS, 12)}-${b62(24)}`)],
  }),
  "slack-user-token": () => ({
    positives: [quoted(`xoxp-${pick(DIGITS, 12)}-${pick(DIGITS, 12)}-${pick(DIGITS, 13)}-${hex(32)}`)],
    negatives: [quoted(`xoxp-${pick(DIGITS, 12)}-${hex(32)}`)],
  }),
  "slack-app-token": () => ({
    positives: [quoted(`xapp-1-${upperDigits(11)}-${pick(DIGITS, 13)}-${hex(64)}`)],
    negatives: [quoted(`xapp-1-${upperDigits(11)}-${hex(64)}`)],
  }),
  "slack-configuration-token": () => ({
    positives: [quoted(`xoxe.xoxp-1-${b62(160)}`)],
    negatives: [quoted(`xoxe.xoxp-1-${b62(40)}`)],
  }),
  "slack-legacy-token": () => ({
    positives: [quoted(`xoxs-${pick(DIGITS, 10)}-${b62(40)}`)],
    negatives: [quoted(`xoxs-${b62(40)}`)],
  }),
  "slack-webhook": () => ({
    positives: [`SLACK_WEBHOOK=https://hooks.slack.com/services/T${upperDigits(8)}/B${upperDigits(10)}/${b62(24)}`],
    negatives: ["SLACK_WEBHOOK=https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"],
  }),
  "slack-workflow-webhook": () => ({
    positives: [`url: https://hooks.slack.com/workflows/T${upperDigits(9)}/A${upperDigits(10)}/${pick(DIGITS, 18)}/${b62(32)}`],
    negatives: [`url: https://hooks.slack.com/workflows/T${upperDigits(9)}/A${upperDigits(10)}`],
  }),
  "discord-webhook": () => ({
    positives: [`https://discord.com/api/webhooks/${pick(DIGITS, 18)}/${pick(B64URL, 68)}`],
    negatives: [`https://discord.com/api/webhooks/${pick(DIGITS, 18)}/<token>`],
  }),
  "discord-bot-token": () => ({
    positives: [`DISCORD_TOKEN=M${pick(B64URL, 25)}.${pick(B64URL, 6)}.${pick(B64URL, 38)}`],
    negatives: ["DISCORD_CHANNEL=general", `DISCORD_TOKEN=${pick(B64URL, 20)}`],
  }),
  "telegram-bot-token": () => ({
    positives: [`https://api.telegram.org/bot${pick(DIGITS, 10)}:AA${pick(B64URL, 33)}/sendMessage`],
    negatives: [`TELEGRAM=${pick(DIGITS, 5)}:AA${pick(B64URL, 33)}`, `TELEGRAM=${pick(DIGITS, 10)}:AA${pick(B64URL, 20)}`],
  }),
  "sendgrid-api-key": () => ({
    positives: [quoted(`SG.${pick(B64URL, 22)}.${pick(B64URL, 43)}`)],
    negatives: [quoted(`SG.${pick(B64URL, 22)}`), "import SG.helpers;"],
  }),
  "mailgun-api-key": () => ({ positives: [quoted("key-" + hex(32))], negatives: [quoted("key-" + hex(20)), "const key-value = 1;"] }),
  "mailchimp-api-key": () => ({ positives: [quoted(`${hex(32)}-us14`)], negatives: [quoted(`${hex(20)}-us14`)] }),
  "brevo-api-key": () => ({ positives: [quoted(`xkeysib-${hex(64)}-${b62(16)}`)], negatives: [quoted(`xkeysib-${hex(64)}`)] }),
  "resend-api-key": () => ({ positives: [quoted(`re_${b62(8)}_${b62(24)}`)], negatives: ["const re_path = /x/;", quoted(`re_${b62(8)}`)] }),
  "twilio-api-key-sid": () => ({ positives: [`TWILIO_API_KEY=SK${hex(32)}`], negatives: [`TWILIO_API_KEY=SK${hex(30)}`, "const task = 1;"] }),
  "twilio-auth-token": () => ({
    positives: [`TWILIO_AUTH_TOKEN=${hex(32)}`],
    negatives: ["TWILIO_AUTH_TOKEN=${TWILIO_AUTH_TOKEN}", `TWILIO_AUTH_TOKEN=${hex(20)}`],
  }),
  "stripe-live-secret-key": () => ({
    positives: [quoted("sk_" + "live_" + b62(24)), quoted("rk_" + "live_" + b62(99))],
    negatives: [quoted("sk_" + "test_" + b62(24)), quoted("sk_" + "live_" + b62(10))],
  }),
  "stripe-webhook-secret": () => ({ positives: [quoted("whsec_" + pick(B64, 32))], negatives: [quoted("whsec_" + b62(12))] }),
  "braintree-access-token": () => ({
    positives: [quoted(`access_token$production$${lowerDigits(16)}$${hex(32)}`)],
    negatives: [quoted(`access_token$sandbox$${lowerDigits(16)}$${hex(32)}`)],
  }),
  "square-access-token": () => ({ positives: [quoted("sq0atp-" + pick(B64URL, 22))], negatives: [quoted("sq0atp-" + b62(12))] }),
  "square-oauth-secret": () => ({ positives: [quoted("sq0csp-" + pick(B64URL, 43))], negatives: [quoted("sq0csp-" + b62(12))] }),
  "shopify-access-token": () => ({ positives: [quoted("shpat_" + hex(32))], negatives: [quoted("shpat_" + hex(31))] }),
  "shopify-shared-secret": () => ({ positives: [quoted("shpss_" + hex(32))], negatives: [quoted("shpss_" + b62(32).replace(/[0-9a-fA-F]/g, "z"))] }),
  "plaid-access-token": () => ({ positives: [quoted("access-production-" + uuid())], negatives: [quoted("access-sandbox-" + uuid())] }),
  "shippo-live-token": () => ({ positives: [quoted("shippo_live_" + hex(40))], negatives: [quoted("shippo_test_" + hex(40))] }),
  "easypost-api-key": () => ({ positives: [quoted("EZAK" + hex(54))], negatives: [quoted("EZTK" + hex(54))] }),
  "flutterwave-secret-key": () => ({ positives: [quoted(`FLWSECK-${hex(32)}-X`)], negatives: [quoted(`FLWSECK_TEST-${hex(32)}-X`)] }),
  "duffel-live-token": () => ({ positives: [quoted("duffel_live_" + pick(B64URL, 43))], negatives: [quoted("duffel_test_" + pick(B64URL, 43))] }),
  "datadog-api-key": () => ({ positives: [`DD_API_KEY=${hex(32)}`], negatives: [`DD_API_KEY=${hex(31)}`] }),
  "datadog-application-key": () => ({ positives: [`datadog_app_key: "${hex(40)}"`], negatives: [`datadog_app_key: "${hex(32)}"`] }),
  "newrelic-user-api-key": () => ({ positives: [quoted("NRAK-" + upperDigits(27))], negatives: [quoted("NRAK-" + upperDigits(20))] }),
  "newrelic-insert-key": () => ({ positives: [quoted("NRII-" + pick(B64URL, 32))], negatives: [quoted("NRII-" + b62(12))] }),
  "newrelic-license-key": () => ({ positives: [`license_key: ${hex(36)}NRAL`], negatives: [`license_key: ${hex(30)}NRAL`] }),
  "sentry-org-token": () => ({ positives: [quoted("sntrys_eyJ" + pick(B64, 100))], negatives: [quoted("sntrys_" + b62(20))] }),
  "sentry-user-token": () => ({ positives: [quoted("sntryu_" + hex(64))], negatives: [quoted("sntryu_" + hex(40))] }),
  "pagerduty-api-key": () => ({
    positives: [`PAGERDUTY_TOKEN: "${b62(20)}"`],
    negatives: ["pagerduty_service: PXYZ123", "PAGERDUTY_TOKEN: ${PAGERDUTY_TOKEN}"],
  }),
  "dynatrace-token": () => ({
    positives: [quoted(`dt0c01.${upperDigits(24)}.${upperDigits(64)}`)],
    negatives: [quoted(`dt0c01.${upperDigits(24)}`)],
  }),
  "grafana-api-key": () => ({ positives: [quoted("eyJrIjoi" + b62(80))], negatives: [quoted("eyJrIjoi" + b62(20))] }),
  "openai-api-key": () => ({
    positives: [quoted(`sk-proj-${pick(B64URL, 64)}T3BlbkFJ${pick(B64URL, 64)}`), quoted(`sk-${b62(20)}T3BlbkFJ${b62(20)}`)],
    negatives: [quoted(`sk-${b62(48)}`), quoted(`sk-proj-${pick(B64URL, 64)}`)],
  }),
  "anthropic-api-key": () => ({
    positives: [quoted(`sk-ant-api03-${pick(B64URL, 93)}AA`)],
    negatives: [quoted(`sk-ant-api03-${pick(B64URL, 40)}AA`), quoted(`sk-ant-${b62(93)}`)],
  }),
  "groq-api-key": () => ({ positives: [quoted("gsk_" + b62(52))], negatives: [quoted("gsk_" + b62(40))] }),
  "perplexity-api-key": () => ({ positives: [quoted("pplx-" + b62(48))], negatives: [quoted("pplx-" + b62(30))] }),
  "replicate-api-token": () => ({ positives: [quoted("r8_" + b62(37))], negatives: [quoted("r8_" + b62(20))] }),
  "xai-api-key": () => ({ positives: [quoted("xai-" + b62(80))], negatives: [quoted("xai-" + b62(40))] }),
  "huggingface-token": () => ({ positives: [quoted("hf_" + pick(UPPER + LOWER, 34))], negatives: [quoted("hf_" + pick(UPPER + LOWER, 20)), "model = hf_hub_download(repo)"] }),
  "pinecone-api-key": () => ({ positives: [quoted(`pcsk_${b62(6)}_${b62(60)}`)], negatives: [quoted("pcsk_" + b62(20))] }),
  "databricks-token": () => ({ positives: [quoted("dapi" + hex(32))], negatives: [quoted("dapi" + hex(20)), "const dapiVersion = 2;"] }),
  "notion-integration-token": () => ({ positives: [quoted("ntn_" + pick(DIGITS, 11) + b62(35))], negatives: [quoted("ntn_" + b62(20))] }),
  "notion-legacy-token": () => ({ positives: [`NOTION_KEY=secret_${b62(43)}`], negatives: ["const secret_name = 'db';", `x = "secret_${b62(20)}"`] }),
  "linear-api-key": () => ({ positives: [quoted("lin_api_" + b62(40))], negatives: [quoted("lin_api_" + b62(20))] }),
  "airtable-token": () => ({ positives: [quoted(`pat${b62(14)}.${hex(64)}`)], negatives: ["path.join(dir, file)", quoted(`pat${b62(14)}.${hex(30)}`)] }),
  "figma-token": () => ({ positives: [quoted("figd_" + pick(B64URL, 40))], negatives: [quoted("figd_" + b62(20))] }),
  "postman-api-key": () => ({ positives: [quoted(`PMAK-${hex(24)}-${hex(34)}`)], negatives: [quoted(`PMAK-${hex(24)}`)] }),
  "contentful-token": () => ({ positives: [quoted("CFPAT-" + pick(B64URL, 43))], negatives: [quoted("CFPAT-" + b62(20))] }),
  "mapbox-secret-token": () => ({
    positives: [quoted(`sk.eyJ${pick(B64URL, 60)}.${pick(B64URL, 22)}`)],
    negatives: [quoted(`pk.eyJ${pick(B64URL, 60)}.${pick(B64URL, 22)}`)],
  }),
  "cloudinary-url": () => ({
    positives: [`CLOUDINARY_URL=cloudinary://${pick(DIGITS, 15)}:${pick(B64URL, 27)}@demo-cloud`],
    negatives: ["CLOUDINARY_URL=cloudinary://<api_key>:<api_secret>@<cloud_name>"],
  }),
  "meta-access-token": () => ({ positives: [quoted("EAA" + b62(150))], negatives: [quoted("EAA" + b62(50))] }),
  "onepassword-service-account-token": () => ({ positives: [`OP_SERVICE_ACCOUNT_TOKEN=ops_eyJ${pick(B64, 300)}`], negatives: [quoted("ops_eyJ" + b62(40))] }),
  "age-secret-key": () => ({
    positives: [`AGE-SECRET-KEY-1${pick("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 58)}`],
    negatives: [`AGE-SECRET-KEY-1${pick("QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L", 40)}`],
  }),
  "adafruit-io-key": () => ({ positives: [quoted("aio_" + b62(28))], negatives: [quoted("aio_" + b62(20))] }),
  "readme-api-key": () => ({ positives: [quoted("rdme_" + lowerDigits(70))], negatives: [quoted("rdme_" + lowerDigits(30))] }),
  "prefect-api-key": () => ({ positives: [quoted("pnu_" + b62(36))], negatives: [quoted("pnu_" + b62(20))] }),
  "scalingo-api-token": () => ({ positives: [quoted("tk-us-" + pick(B64URL, 48))], negatives: [quoted("tk-us-" + b62(20))] }),
  "frameio-token": () => ({ positives: [quoted("fio-u-" + pick(B64URL + "=", 64))], negatives: [quoted("fio-u-" + b62(20))] }),
  "defined-networking-api-key": () => ({
    positives: [quoted(`dnkey-${lowerDigits(26)}-${lowerDigits(52)}`)],
    negatives: [quoted(`dnkey-${lowerDigits(26)}`)],
  }),
  "aiven-service-password": () => ({
    positives: [`AIVEN_PG_PASSWORD=AVNS_${pick(B64URL, 24)}`],
    negatives: [quoted("AVNS_" + b62(10)), quoted("AVNS_PASSWORD_GOES_HERE")],
  }),
  "clickhouse-cloud-secret-key": () => ({
    positives: [quoted("4b1d" + b62(38))],
    negatives: [quoted("4b1d" + b62(30)), quoted("x4b1d" + b62(38)), `"sha": "${hex(24)}4b1d${hex(40)}"`],
  }),
  "devcycle-server-sdk-key": () => ({
    positives: [quoted(`dvc_server_${lowerDigits(8)}_${lowerDigits(4)}_${lowerDigits(4)}_${hex(12)}_${hex(7)}`)],
    negatives: [quoted("dvc_server_" + b62(8)), "const dvc_server_key = process.env.DVC_SERVER_KEY;"],
  }),
  "devcycle-client-sdk-key": () => ({
    positives: [quoted(`dvc_client_${lowerDigits(8)}_${lowerDigits(4)}_${lowerDigits(4)}_${hex(12)}_${hex(7)}`), quoted(`dvc_mobile_${b62(36)}`)],
    negatives: [quoted("dvc_client_" + b62(8))],
  }),
  "ionic-token": () => ({
    positives: [`IONIC_TOKEN=ion_${b62(42)}`],
    negatives: [quoted("ion_" + b62(30)), `const version_${b62(42)} = 1;`],
  }),
  "midtrans-server-key": () => ({
    positives: [quoted("Mid-server-" + pick(B64URL, 24)), `MIDTRANS_SERVER_KEY=SB-Mid-server-${pick(B64URL, 24)}`],
    negatives: [quoted("Mid-client-" + pick(B64URL, 16)), quoted("Mid-server-" + b62(12))],
  }),
  "onfido-live-token": () => ({
    positives: [quoted(`api_live.${pick(B64URL, 11)}.${pick(B64URL, 32)}`), quoted(`api_live_us.${pick(B64URL, 11)}.${pick(B64URL, 32)}`)],
    negatives: [quoted(`api_live.${pick(B64URL, 11)}`), "if (mode === api_live.MODE) start();"],
  }),
  "onfido-sandbox-token": () => ({
    positives: [quoted(`api_sandbox.${pick(B64URL, 11)}.${pick(B64URL, 32)}`)],
    negatives: [quoted(`api_sandbox.${pick(B64URL, 11)}`)],
  }),
  "rootly-api-key": () => ({ positives: [quoted("rootly_" + hex(64))], negatives: [quoted("rootly_" + hex(40))] }),
  "samsara-api-token": () => ({ positives: [quoted("samsara_api_" + b62(30))], negatives: [quoted("samsara_api_" + b62(20)), "samsara_api_version = 3"] }),
  "segment-public-api-token": () => ({
    positives: [quoted("sgp_" + b62(64))],
    negatives: [quoted("sgp_" + b62(40)), quoted(`sgp_${hex(16)}_${hex(40)}`.slice(0, 30))],
  }),
  "zuplo-api-key": () => ({ positives: [quoted(`zpka_${hex(32)}_${hex(8)}`)], negatives: [quoted(`zpka_${hex(32)}`)] }),
  "tableau-pat-secret": () => ({
    positives: [`TABLEAU_PAT_SECRET=${pick(B64, 22)}==:${b62(32)}`],
    negatives: [`TABLEAU_PAT_SECRET=${pick(B64, 22)}==:${b62(20)}`, `x = "${pick(B64, 30)}==:${b62(32)}"`, "if (a ==: b) {}"],
  }),
  "intra42-client-secret": () => ({ positives: [quoted("s-s4t2ud-" + hex(64))], negatives: [quoted("u-s4t2ud-" + hex(64)), quoted("s-s4t2ud-" + hex(40))] }),
  "yandex-service-api-key": () => ({
    positives: [quoted(`dict.1.1.20240115T093000Z.${hex(16)}.${hex(40)}`), quoted(`trnsl.1.1.20231002T120501Z.${hex(16)}.${hex(40)}`)],
    negatives: [quoted(`dict.1.1.20240115T093000Z.${hex(16)}`), "import dict.1.1.compat"],
  }),
  "langsmith-api-key": () => ({ positives: [`LANGSMITH_API_KEY=lsv2_pt_${hex(32)}_${hex(10)}`], negatives: [quoted(`lsv2_pt_${hex(32)}`)] }),
  "openrouter-api-key": () => ({ positives: [quoted("sk-or-v1-" + hex(64))], negatives: [quoted("sk-or-v1-" + hex(40))] }),
  "lichess-token": () => ({ positives: [`LICHESS_TOKEN=lip_${b62(20)}`], negatives: [quoted("lip_" + b62(12)), "const clip_path = 'a';"] }),
  "mercadopago-access-token": () => ({
    positives: [quoted(`APP_USR-${pick(DIGITS, 16)}-${pick(DIGITS, 6)}-${hex(32)}-${pick(DIGITS, 9)}`)],
    negatives: [quoted(`APP_USR-${uuid()}`), quoted(`TEST-${pick(DIGITS, 16)}-${pick(DIGITS, 6)}-${hex(32)}-${pick(DIGITS, 9)}`)],
  }),
  "azure-function-key": () => ({
    positives: [`x-functions-key: ${pick(B64URL, 44)}AzFu${pick(B64URL, 5)}A==`],
    negatives: [`x-functions-key: ${pick(B64URL, 44)}AzFu${pick(B64URL, 5)}B==`, `code=${pick(B64URL, 40)}AzFu${pick(B64URL, 5)}A==`],
  }),
  "azure-cosmosdb-key": () => ({
    positives: [`COSMOS_KEY=${pick(B64, 76)}ACDb${pick(B64, 5)}g==`],
    negatives: [`COSMOS_KEY=${pick(B64, 70)}ACDb${pick(B64, 5)}g==`],
  }),
  "azure-storage-identifiable-key": () => ({
    positives: [`STORAGE_KEY=${pick(B64, 76)}+ASt${pick(B64, 5)}Q==`],
    negatives: [`STORAGE_KEY=${pick(B64, 76)}+ASt${pick(B64, 5)}`],
  }),
  "azure-api-management-key": () => ({
    positives: [`Ocp-Apim-Subscription-Key: ${b62(76)}APIM${b62(5)}w==`],
    negatives: ["import { ApimClient } from './apim';", `Ocp-Apim-Subscription-Key: ${hex(32)}`],
  }),
  "azure-container-registry-key": () => ({
    positives: [`ACR_PASSWORD=${pick(B64, 42)}+ACR${pick(B64, 6)}`],
    negatives: [`ACR_PASSWORD=${pick(B64, 42)}+ACR${pick(B64, 3)}`],
  }),
  "azure-search-key": () => ({ positives: [`SEARCH_KEY=${b62(42)}AzSe${b62(6)}`], negatives: [`SEARCH_KEY=${b62(30)}AzSe${b62(6)}`] }),
  "azure-cache-redis-key": () => ({ positives: [`REDIS_KEY=${pick(B64, 33)}AzCa${pick(B64, 5)}E=`], negatives: [`REDIS_KEY=${pick(B64, 33)}AzCa${pick(B64, 5)}B=`] }),
  "azure-messaging-key": () => ({
    positives: [`SB_KEY=${pick(B64, 33)}+ASb${pick(B64, 5)}c=`, `EH_KEY=${pick(B64, 33)}+AEh${pick(B64, 5)}0=`, `RELAY_KEY=${pick(B64, 33)}+ARm${pick(B64, 5)}s=`],
    negatives: [`SB_KEY=${pick(B64, 33)}+ASb${pick(B64, 4)}`],
  }),
  "azure-event-grid-key": () => ({ positives: [`EVENTGRID_KEY=${pick(B64, 33)}AZEG${pick(B64, 5)}U=`], negatives: [`EVENTGRID_KEY=${pick(B64, 20)}AZEG${pick(B64, 5)}U=`] }),
  "azure-iot-key": () => ({ positives: [`IOT_KEY=${pick(B64, 33)}AIoT${pick(B64, 5)}k=`], negatives: ["const AIoT = createClient();"] }),
  "telnyx-api-key": () => ({
    positives: [`TELNYX_API_KEY=KEY${pick(HEX.toUpperCase(), 32)}_${b62(22)}`],
    negatives: [`TELNYX_API_KEY=KEY${pick(HEX.toUpperCase(), 32)}`, `x = "KEY${pick(HEX.toUpperCase(), 32)}_${b62(22)}"`],
  }),
  "plivo-auth-token": () => ({ positives: [`PLIVO_AUTH_TOKEN=${b62(40)}`], negatives: [`PLIVO_AUTH_ID=MA${upperDigits(18)}`, "PLIVO_AUTH_TOKEN=${PLIVO_AUTH_TOKEN}"] }),
  "meraki-api-key": () => ({ positives: [`MERAKI_DASHBOARD_API_KEY=${hex(40)}`], negatives: [`MERAKI_DASHBOARD_API_KEY=${hex(32)}`, `meraki_org_id = ${pick(DIGITS, 6)}`] }),
  "private-ai-api-key": () => ({ positives: [`PRIVATE_AI_API_KEY=${lowerDigits(32)}`], negatives: [`PRIVATE_AI_API_KEY=${lowerDigits(20)}`] }),
  "postmark-token": () => ({ positives: [`POSTMARK_SERVER_TOKEN=${uuid()}`], negatives: ["POSTMARK_SERVER_TOKEN=00000000-0000-0000-0000-000000000000", `postmark_template = "welcome"`] }),
  "mailjet-api-key": () => ({ positives: [`MAILJET_API_SECRET=${hex(32)}`], negatives: [`MAILJET_API_SECRET=${hex(20)}`] }),
  "pushover-token": () => ({ positives: [`PUSHOVER_TOKEN=${b62(30)}`], negatives: [`PUSHOVER_TOKEN=${b62(20)}`] }),
  "wandb-api-key": () => ({ positives: [`WANDB_API_KEY=${hex(40)}`], negatives: ["WANDB_API_KEY=$WANDB_KEY", `wandb_project = "${lowerDigits(12)}"`] }),
  "auth0-client-secret": () => ({ positives: [`AUTH0_CLIENT_SECRET=${pick(B64URL, 64)}`], negatives: [`AUTH0_CLIENT_ID=${b62(32)}`, "AUTH0_CLIENT_SECRET=<client-secret>"] }),
  "snowflake-password": () => ({
    positives: [`SNOWFLAKE_PASSWORD=${pick(LOWER, 5)}${pick(DIGITS, 3)}${pick(UPPER, 4)}!`, `snowsql_pwd: "${b62(18)}"`],
    negatives: ["SNOWFLAKE_PASSWORD=${SNOWFLAKE_PASSWORD}", "SNOWFLAKE_PASSWORD=changeme", "snowflake_password = os.environ['SNOWFLAKE_PASSWORD']"],
  }),
  "freemius-secret-key": () => ({
    positives: [`$fs = fs_dynamic_init( array(\n    'id' => '${pick(DIGITS, 4)}',\n    'public_key' => 'pk_${hex(29)}',\n    'secret_key' => 'sk_${pick(B62 + ";!~.*+?:()#|=", 29)}',\n) );`],
    negatives: [`$fs = fs_dynamic_init( array(\n    'secret_key' => 'sk_${b62(10)}',\n) );`, `secret_key = 'sk_${b62(29)}'`],
  }),
  "kubernetes-secret-manifest": () => ({
    positives: [
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  username: ${b64("app")}\n  password: ${b64(b62(20))}\n`,
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: api\nstringData:\n  API_URL: https://api.internal.net\n  API_TOKEN: "${b62(32)}"\n`,
    ],
    negatives: [
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  password: {{ .Values.db.password | b64enc }}\n`,
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  LOG_LEVEL: info\n  CACHE_KEY: ${b62(20)}\n`,
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ca\ndata:\n  ca.crt: ${b64("-----BEGIN CERTIFICATE-----\n" + pemLines(2))}\n`,
      `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ndata:\n  username: ${b64("admin")}\n  password: ${b64("changeme")}\n`,
      `kind: Secret\nstringData:\n  DB_HOST: db-${pick(DIGITS, 1)}.internal.svc.cluster.local\n  DB_URL: postgres://db-${pick(DIGITS, 1)}.internal:5432/app\n  ADMIN_EMAIL: ops${pick(DIGITS, 2)}@corp.net\n`,
    ],
  }),
  "aws-bedrock-api-key": () => ({
    positives: [`AWS_BEARER_TOKEN_BEDROCK=ABSK${b64(`BedrockAPIKey-${lowerDigits(4)}-at-${pick(DIGITS, 12)}:${pick(B64, 60)}`)}`, quoted(`bedrock-api-key-${b64("bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Credential=" + pick(B64, 120))}`)],
    negatives: [quoted("ABSK" + b62(40)), "const absk = 1;"],
  }),
  "langfuse-secret-key": () => ({ positives: [`LANGFUSE_SECRET_KEY=sk-lf-${uuid()}`], negatives: [`LANGFUSE_PUBLIC_KEY=pk-lf-${uuid()}`, quoted("sk-lf-" + hex(20))] }),
  "tavily-api-key": () => ({ positives: [quoted("tvly-" + b62(32)), quoted("tvly-dev-" + b62(32))], negatives: [quoted("tvly-" + b62(20))] }),
  "deepseek-api-key": () => ({ positives: [`DEEPSEEK_API_KEY=sk-${hex(32)}`], negatives: [`DEEPSEEK_API_KEY=sk-${hex(20)}`, `deepseek_model = "deepseek-chat"`] }),
  "mistral-api-key": () => ({ positives: [`MISTRAL_API_KEY=${b62(32)}`], negatives: [`MISTRAL_API_KEY=${b62(20)}`, `mistral_model = "mistral-large-latest"`] }),
  "elevenlabs-api-key": () => ({ positives: [`ELEVENLABS_API_KEY=sk_${hex(48)}`, `xi_api_key: "${hex(32)}"`], negatives: [`ELEVENLABS_VOICE_ID=${b62(20)}`] }),
  "saucelabs-access-key": () => ({ positives: [`SAUCE_ACCESS_KEY=${uuid()}`], negatives: ["SAUCE_ACCESS_KEY=${SAUCE_ACCESS_KEY}", `saucelabs_user = "ci-bot"`] }),
  "browserstack-access-key": () => ({ positives: [`BROWSERSTACK_ACCESS_KEY=${b62(20)}`], negatives: [`BROWSERSTACK_USERNAME=${lowerDigits(12)}`, `BROWSERSTACK_ACCESS_KEY=${b62(12)}`] }),
  "cypress-record-key": () => ({ positives: [`CYPRESS_RECORD_KEY=${uuid()}`], negatives: ["CYPRESS_RECORD_KEY=${{ secrets.CYPRESS_RECORD_KEY }}"] }),
  "rollbar-access-token": () => ({ positives: [`ROLLBAR_ACCESS_TOKEN=${hex(32)}`], negatives: [`ROLLBAR_ENVIRONMENT=production`, `ROLLBAR_ACCESS_TOKEN=${hex(20)}`] }),
  "vercel-token": () => ({ positives: [`VERCEL_TOKEN=${b62(24)}`], negatives: [`VERCEL_PROJECT_ID=prj_${b62(28)}`, "VERCEL_TOKEN=${{ secrets.VERCEL_TOKEN }}"] }),
  "railway-token": () => ({ positives: [`RAILWAY_TOKEN=${uuid()}`], negatives: ["RAILWAY_TOKEN=$RAILWAY_TOKEN", "railway_region = 'us-west1'"] }),
  "paddle-api-key": () => ({ positives: [`PADDLE_API_KEY=pdl_live_apikey_${lowerDigits(26)}_${b62(22)}_${b62(3)}`], negatives: [`PADDLE_API_KEY=pdl_sdbx_apikey_${lowerDigits(26)}_${b62(22)}_${b62(3)}`, quoted("pdl_live_apikey_" + b62(20))] }),
  "azure-batch-key": () => ({ positives: [`BATCH_ACCOUNT_KEY=${pick(B64, 76)}+ABa${pick(B64, 5)}w==`], negatives: [`BATCH_ACCOUNT_KEY=${pick(B64, 60)}+ABa${pick(B64, 5)}w==`] }),
  "gitea-token": () => ({ positives: [`GITEA_TOKEN=${hex(40)}`, `forgejo_token: ${hex(40)}`], negatives: [`GITEA_URL=https://gitea.internal.net`, `GITEA_TOKEN=${hex(32)}`] }),
  "jenkins-api-token": () => ({ positives: [`JENKINS_API_TOKEN=11${hex(32)}`], negatives: [`JENKINS_URL=https://ci.internal.net/`, `jenkins_job = "build-${lowerDigits(6)}"`] }),
  "mongodb-atlas-private-key": () => ({ positives: [`MONGODB_ATLAS_PRIVATE_KEY=${uuid()}`, `atlas_private_key = "${uuid()}"`], negatives: [`MONGODB_ATLAS_PUBLIC_KEY=${lowerDigits(8)}`] }),
  "loggly-token": () => ({ positives: [`LOGGLY_TOKEN=${uuid()}`], negatives: ["LOGGLY_TOKEN=${LOGGLY_TOKEN}", `loggly_tag = "api"`] }),
  "mixpanel-secret": () => ({ positives: [`MIXPANEL_API_SECRET=${hex(32)}`], negatives: [`MIXPANEL_PROJECT_ID=${pick(DIGITS, 7)}`] }),
  "amplitude-secret-key": () => ({ positives: [`AMPLITUDE_SECRET_KEY=${hex(32)}`], negatives: [`amplitude_event = "signup"`, `AMPLITUDE_SECRET_KEY=${hex(24)}`] }),
  "private-key": () => ({
    positives: [
      `-----BEGIN RSA PRIVATE KEY-----\n${pemLines(6)}\n${pick(B64, 20)}==\n-----END RSA PRIVATE KEY-----`,
      `-----BEGIN ENCRYPTED PRIVATE KEY-----\n${pemLines(4)}\n-----END ENCRYPTED PRIVATE KEY-----`,
      `KEY="-----BEGIN EC PRIVATE KEY-----\\n${pick(B64, 64)}\\n${pick(B64, 56)}\\n-----END EC PRIVATE KEY-----\\n"`,
    ],
    negatives: [
      'if (pem.startsWith("-----BEGIN RSA PRIVATE KEY-----")) return parse(pem);',
      "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
      `-----BEGIN PUBLIC KEY-----\n${pemLines(4)}\n-----END PUBLIC KEY-----`,
    ],
  }),
  "private-key-base64": () => ({
    positives: [`SIGNING_KEY_B64=${b64("-----BEGIN PRIVATE KEY-----\n" + pemLines(2))}`],
    negatives: [`CA_CERT_B64=${b64("-----BEGIN CERTIFICATE-----\n" + pemLines(2))}`],
  }),
  "openssh-private-key": () => ({
    positives: [`-----BEGIN OPENSSH PRIVATE KEY-----\n${pemLines(5)}\n-----END OPENSSH PRIVATE KEY-----`],
    negatives: [`ssh-ed25519 ${pick(B64, 68)} deploy@ci`],
  }),
  "pgp-private-key": () => ({
    positives: [`-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\n${pemLines(5)}\n=${pick(B64, 4)}\n-----END PGP PRIVATE KEY BLOCK-----`],
    negatives: [`-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n${pemLines(5)}\n-----END PGP PUBLIC KEY BLOCK-----`],
  }),
  "putty-private-key": () => ({
    positives: [
      [
        "PuTTY-User-Key-File-3: ssh-ed25519",
        "Encryption: none",
        "Comment: deploy",
        "Public-Lines: 2",
        pick(B64, 64),
        pick(B64, 20),
        "Private-Lines: 1",
        pick(B64, 44),
        `Private-MAC: ${hex(64)}`,
      ].join("\n"),
    ],
    negatives: [`Private-Lines: 1\n${pick(B64, 44)}`],
  }),
  "database-connection-string": () => ({
    positives: [`DATABASE_URL=postgres://app:${b62(16)}@db.internal:5432/app`, `MONGO_URL="mongodb+srv://svc:${b62(20)}@cluster0.abcde.mongodb.net/prod"`],
    negatives: [
      "DATABASE_URL=postgres://postgres:postgres@db:5432/app",
      "DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal/app",
      "DATABASE_URL=postgres://app:password@db.internal/app",
      "DATABASE_URL=postgres://db.internal:5432/app",
    ],
  }),
  "connection-string-password": () => ({
    positives: [`Server=db.internal;Database=app;User Id=app;Password=${b62(14)};`],
    negatives: ["Server=db.internal;Database=app;User Id=app;Password=changeme;", "Server=db;Password=<password>;"],
  }),
  "url-credentials": () => ({
    positives: [`git clone https://deploy:${b62(20)}@git.acme-corp.io/platform/app.git`],
    negatives: [
      "curl https://user:pass@host.acme-corp.io/",
      "git clone https://oauth2:${CI_JOB_TOKEN}@gitlab.com/group/repo.git",
      "see https://docs.acme-corp.io/guide",
    ],
  }),
  "jwt": () => ({
    positives: [`const session = "${jwtOf({ alg: "HS256", typ: "JWT" })}";`],
    negatives: [
      `const session = "${jwtOf({ alg: "none", typ: "JWT" })}";`,
      `const session = "${jwtOf({ alg: "HS256", typ: "JWT" }, false)}";`,
      `const data = "eyJ${b62(40)}.eyJ${b62(40)}.${b62(30)}";`,
    ],
  }),
  "basic-auth-header": () => ({
    positives: [`-H "Authorization: Basic ${b64("deploy:" + b62(16))}"`],
    negatives: [`-H "Authorization: Basic ${b64("user:password")}"`, "Basic usage is described below.", `Basic ${b64("\u0001\u0002\u0003\u0004\u0005\u0006")}`],
  }),
  "bearer-token": () => ({
    positives: [`const headers = { Authorization: \`Bearer ${pick(B64URL, 40)}\` };`],
    negatives: ['-H "Authorization: Bearer ${TOKEN}"', "Send a Bearer token in the header."],
  }),
  "generic-secret-assignment": () => ({
    positives: [
      `DB_PASSWORD=${pick(LOWER, 6)}${pick(DIGITS, 2)}${pick(UPPER, 4)}`,
      `  "clientSecret": "${b62(24)}",`,
      `api_key: ${b62(32)}`,
    ],
    negatives: [
      "password = process.env.DB_PASSWORD",
      "const token = getToken(request);",
      "PASSWORD=changeme123",
      "secret: ${{ secrets.DEPLOY_KEY }}",
      "token_count = 12345678",
      'password: "{{ vault_db_password }}"',
      "const tokenizer = new Tokenizer(options);",
      "auth.refreshTokenExpiresAt = toTimestamp2(response.refresh_expires_in);",
      "const message = unexpected ? Messages.UnexpectedToken : messages_1.Messages.MissingFromClause;",
    ],
  }),
};

export const SAMPLES: Readonly<Record<string, RuleSamples>> = Object.fromEntries(
  Object.entries(SAMPLE_SOURCES).map(([id, make]) => [id, withStream(`samples/${id}`, make)]),
);
