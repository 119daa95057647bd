/**
 * The labelled corpus: true and false cases for every built-in content rule, generated at run
 * time (seeded, so every run sees the same texts) so the repository holds no secret-looking
 * literal.
 *
 * - A token is drawn from the rule's own format: the pattern, written from the provider's
 *   documented format, is read as a grammar and sampled (group 1 only, for rules that find a
 *   value assigned to a named setting). Formats a grammar cannot express (checksums, JWT
 *   structure, base64 of a credential, URLs with a password) have their own generators.
 * - Every single-line token is written in every assignment shape below, under a setting name
 *   that holds one of the rule's keywords. Multi-line and context-bound credentials (key blocks,
 *   settings.xml, curl commands) are written the way their files hold them.
 * - False cases: the same shapes holding made-up bodies (one character repeated, the alphabet in
 *   order, a short unit repeated, a placeholder word spliced into a valid-length body), vendor
 *   documentation conventions, and text that merely looks random (URL paths, asset hashes, file
 *   names, commit hashes, integrity attributes, UUIDs, code).
 */
import { crc32 as zlibCrc32 } from "node:zlib";
import { BUILTIN_RULES } from "../../src/secrets/builtin-rules.js";
import type { SecretRuleSpec } from "../../src/secrets/types.js";
import { namedStreams, seedOf } from "../helpers/prng.js";
import { SAMPLES } from "./samples.js";

/**
 * The stream every draw reads. buildCorpus and lookalikes switch it per rule and shape (per
 * look-alike kind) with `withStream`, so a rule's cases do not depend on which rules come before
 * it: adding a rule changes no other rule's texts.
 */
const streams = namedStreams(0x5eed1e55);
const random = streams.draw;
const withStream = streams.within;

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const B62 = UPPER + LOWER + DIGITS;
const B64 = B62 + "+/";
const B64URL = B62 + "_-";
const HEX = "0123456789abcdef";
/** What a negated class (`[^\s"';]`) may produce. */
const PRINTABLE = B62 + "_-.+/=~!@#%*";
/** Generated bodies that happen to spell these would be rightly ignored, which is not what a true case tests. */
const ACCIDENTAL_PLACEHOLDER = /x{4}|example|sample|your|fake|dummy|redacted|placeholder|changeme|test|mock|null|none|true|false|admin|pass|todo|token|secret|default/i;

const chance = (n: number) => Math.floor(random() * n);
function pick(alphabet: string, n: number): string {
  for (;;) {
    let out = "";
    for (let i = 0; i < n; i++) out += alphabet[chance(alphabet.length)];
    if (!ACCIDENTAL_PLACEHOLDER.test(out)) return out;
  }
}

// ── Patterns as grammars ──────────────────────────────────────────────────────────────────

type Gen =
  | { kind: "literal"; text: string }
  | { kind: "class"; chars: string }
  | { kind: "sequence"; items: Gen[] }
  | { kind: "choice"; options: Gen[]; capture: boolean }
  | { kind: "repeat"; item: Gen; min: number; max: number };

function classChars(body: string, negated: boolean): string {
  let chars = "";
  for (let i = 0; i < body.length; i++) {
    let c = body[i]!;
    if (c === "\\") {
      const e = body[++i]!;
      if (e === "s") c = " \t\n";
      else if (e === "x") {
        c = String.fromCharCode(parseInt(body.slice(i + 1, i + 3), 16));
        i += 2;
      } else c = e;
      chars += c;
      continue;
    }
    if (body[i + 1] === "-" && i + 2 < body.length) {
      for (let x = c.charCodeAt(0); x <= body.charCodeAt(i + 2); x++) chars += String.fromCharCode(x);
      i += 2;
      continue;
    }
    chars += c;
  }
  if (!negated) return [...new Set(chars)].sort().join("");
  return [...PRINTABLE].filter((c) => !chars.includes(c)).join("");
}

export function parsePattern(source: string): Gen {
  let pos = 0;
  function alternation(capture: boolean): Gen {
    const options: Gen[] = [sequence()];
    while (source[pos] === "|") {
      pos++;
      options.push(sequence());
    }
    return { kind: "choice", options, capture };
  }
  function sequence(): Gen {
    const items: Gen[] = [];
    while (pos < source.length && source[pos] !== "|" && source[pos] !== ")") {
      let atom: Gen;
      const c = source[pos]!;
      if (c === "(") {
        pos++;
        const capture = !source.startsWith("?:", pos);
        if (!capture) pos += 2;
        atom = alternation(capture);
        pos++;
      } else if (c === "[") {
        const negated = source[pos + 1] === "^";
        let close = pos + (negated ? 2 : 1);
        while (close < source.length && source[close] !== "]") close += source[close] === "\\" ? 2 : 1;
        atom = { kind: "class", chars: classChars(source.slice(pos + (negated ? 2 : 1), close), negated) };
        pos = close + 1;
      } else if (c === "\\") {
        const e = source[pos + 1]!;
        if (e === "s") atom = { kind: "literal", text: " " };
        else if (e === "x") {
          atom = { kind: "literal", text: String.fromCharCode(parseInt(source.slice(pos + 2, pos + 4), 16)) };
          pos += 2;
        } else atom = { kind: "literal", text: e };
        pos += 2;
      } else {
        atom = { kind: "literal", text: c };
        pos++;
      }
      const q = /^(?:\?|\*|\+|\{(\d+)(?:,(\d*))?\})/.exec(source.slice(pos));
      if (q) {
        pos += q[0].length;
        const min = q[0] === "?" || q[0] === "*" ? 0 : q[0] === "+" ? 1 : Number(q[1]);
        const max = q[0] === "?" ? 1 : q[0] === "*" || q[0] === "+" || q[2] === "" ? min + 20 : q[2] === undefined ? min : Number(q[2]);
        atom = { kind: "repeat", item: atom, min, max };
      }
      items.push(atom);
    }
    return { kind: "sequence", items };
  }
  return alternation(false);
}

/** How class characters are drawn: at random, or the made-up bodies false cases are built from. */
export type BodyMode = "random" | "repeated" | "sequential";

interface Drawn {
  text: string;
  /** Span of group 1 in `text`, when the pattern has one. */
  group?: [number, number];
}

export function draw(gen: Gen, mode: BodyMode): Drawn {
  const out: Drawn = { text: "" };
  let step = chance(7);
  const walk = (g: Gen): void => {
    switch (g.kind) {
      case "literal":
        out.text += g.text;
        return;
      case "class": {
        const chars = g.chars.replace(/[\s]/g, "") || g.chars;
        out.text += mode === "random" ? chars[chance(chars.length)] : mode === "repeated" ? chars[0] : chars[step++ % chars.length];
        return;
      }
      case "sequence":
        g.items.forEach(walk);
        return;
      case "choice": {
        const start = out.text.length;
        walk(g.options[chance(g.options.length)]!);
        if (g.capture && out.group === undefined) out.group = [start, out.text.length];
        return;
      }
      case "repeat": {
        const top = Math.min(g.max, g.min + 24);
        const n = g.max === 1 && g.min === 0 ? chance(2) : g.min + chance(top - g.min + 1);
        for (let i = 0; i < n; i++) walk(g.item);
      }
    }
  };
  walk(gen);
  return out;
}

// ── Tokens ────────────────────────────────────────────────────────────────────────────────

const BASE62_ALPHABET = DIGITS + UPPER + LOWER;
function base62(value: number, width: number): string {
  let out = "";
  for (let v = value; v > 0; v = Math.floor(v / 62)) out = BASE62_ALPHABET[v % 62] + out;
  return out.padStart(width, "0");
}
const checksummed = (prefix: string) => {
  const body = pick(B62, 30);
  return prefix + body + base62(zlibCrc32(body), 6);
};
const b64 = (text: string) => Buffer.from(text, "latin1").toString("base64");
const b64url = (text: string) => Buffer.from(text, "latin1").toString("base64url");
const jwt = (alg = "HS256") =>
  `${b64url(JSON.stringify({ alg, typ: "JWT" }))}.${b64url(JSON.stringify({ sub: pick(DIGITS, 10), iat: 1700000000 + chance(1e6) }))}.${pick(B64URL, 43)}`;

/** Formats with structure a pattern does not carry. */
const TOKEN_GENERATORS: Readonly<Record<string, () => string>> = {
  "github-classic-token": () => checksummed("ghp_"),
  "github-oauth-token": () => checksummed("gho_"),
  "github-app-token": () => checksummed(chance(2) ? "ghu_" : "ghs_"),
  "npm-access-token": () => checksummed("npm_"),
  jwt: () => jwt(),
  "jwt-base64": () => b64(jwt()),
  "basic-auth-header": () => `Basic ${b64(`deploy:${pick(B62, 16)}`)}`,
  "database-connection-string": () => `${["postgres", "mysql", "mongodb+srv", "redis", "amqps"][chance(5)]}://app:${pick(B62, 16)}@db${chance(9)}.internal.net:5432/app`,
  "url-credentials": () => `https://deploy:${pick(B62, 16)}@git.internal.net/org/repo.git`,
  "connection-string-password": () => `Server=db.internal.net;Database=app;User Id=app;Password=${pick(B62, 16)};`,
  "azure-sas-token": () => `https://acct.blob.core.windows.net/c/file.bin?sv=2022-11-02&sp=r&se=2030-01-01&sig=${pick(B64, 43)}%3D`,
  "azure-storage-account-key": () => `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${pick(B64, 86)}==;EndpointSuffix=core.windows.net`,
  "azure-shared-access-key": () => `Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=${pick(B64, 43)}=`,
};

/** Made-up counterparts of the formats above that their handwritten samples do not cover. */
const MADE_UP_GENERATORS: Readonly<Record<string, () => string[]>> = {
  "azure-sas-token": () => [`https://acct.blob.core.windows.net/c/file.bin?sv=2022-11-02&sp=r&sig=${"A".repeat(43)}%3D`, `?sv=2022-11-02&sp=r&sig=${"0123456789".repeat(5)}`],
  "jwt-base64": () => [b64(`${b64url(JSON.stringify({ alg: "none" }))}.${b64url(JSON.stringify({ sub: pick(DIGITS, 10) }))}.${pick(B64URL, 20)}`)],
};

/** Context-bound credentials, in the files that hold them. */
const NATIVE_TEXTS: Readonly<Record<string, () => string[]>> = {
  "maven-settings-password": () => [
    `<settings>\n  <servers>\n    <server>\n      <id>internal</id>\n      <username>ci</username>\n      <password>${pick(B62, 18)}</password>\n    </server>\n  </servers>\n</settings>`,
  ],
  "pypirc-password": () => [
    `[distutils]\nindex-servers = internal\n\n[internal]\nrepository = https://pkgs.internal.net/simple/\nusername = ci\npassword = ${pick(B62, 18)}`,
    `[global]\nindex-url = https://pkgs.internal.net/simple/\npassword = ${pick(B62, 18)}`,
  ],
  "npmrc-auth": () => [
    `registry=https://npm.internal.net/\n//npm.internal.net/:_authToken=${pick(B64URL, 40)}`,
    `//npm.pkg.internal.net/:_password=${b64(pick(B62, 18))}\n//npm.pkg.internal.net/:username=ci`,
    `_auth=${b64(`ci:${pick(B62, 16)}`)}\nalways-auth=true`,
  ],
  "nuget-config-password": () => [
    `<packageSourceCredentials>\n  <internal>\n    <add key="Username" value="ci" />\n    <add key="ClearTextPassword" value="${pick(B62, 18)}" />\n  </internal>\n</packageSourceCredentials>`,
  ],
  "curl-user-password": () => [`curl -u deploy:${pick(B62, 16)} https://api.internal.net/v1/items`, `curl --user 'ci:${pick(B62, 16)}' -X POST https://ci.internal.net/job/build`],
  "freemius-secret-key": () => [
    `fs_dynamic_init( array(\n    'id'         => '${pick(DIGITS, 5)}',\n    'slug'       => 'shop-helper',\n    'public_key' => 'pk_${pick(HEX, 29)}',\n    'secret_key' => 'sk_${pick(B62 + ";!~.*+?:()#|=", 29)}',\n) );`,
    `// Freemius deployment settings\ndefine( 'WP_FS__SHOP_HELPER_SECRET_KEY', 'sk_${pick(B62, 29)}' );`,
  ],
  "kubernetes-secret-manifest": () => [
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\n  namespace: prod\ntype: Opaque\ndata:\n  DB_USER: ${b64("app")}\n  DB_PASSWORD: ${b64(pick(B62, 20))}\n`,
    `---\nkind: Secret\napiVersion: v1\nmetadata:\n  name: worker\nstringData:\n  # rotated by hand\n  QUEUE_URL: amqps://mq.internal.net\n  WORKER_TOKEN: "${pick(B64URL, 40)}"\n`,
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: signing\ndata:\n  key.bin: ${b64(String.fromCharCode(...Array.from({ length: 32 }, () => chance(256))))}\n`,
  ],
  "authorization-header-in-command": () => [
    `curl -H "Authorization: Bearer ${pick(B62, 40)}" https://api.internal.net/v1/items`,
    `wget --header="Authorization: token ${pick(B62, 32)}" https://files.internal.net/a.tgz`,
  ],
};

/** The same files holding what is not a credential: variables, placeholders, made-up values. */
const NATIVE_FALSE_TEXTS: Readonly<Record<string, readonly string[]>> = {
  "maven-settings-password": [
    "<settings>\n  <servers>\n    <server>\n      <id>internal</id>\n      <password>${env.MAVEN_PASSWORD}</password>\n    </server>\n  </servers>\n</settings>",
    "<servers>\n  <server>\n    <password>your-password-here</password>\n  </server>\n</servers>",
  ],
  "pypirc-password": ["[pypi]\nusername = __token__\npassword = <your PyPI token>", "[global]\nindex-url = https://pkgs.internal.net/simple/\npassword = ${PIP_PASSWORD}"],
  "npmrc-auth": ["//npm.internal.net/:_authToken=${NPM_TOKEN}", "//npm.internal.net/:_authToken=00000000-0000-0000-0000-000000000000", "const DB_PASSWORD_LENGTH = 16;"],
  "nuget-config-password": ['<add key="ClearTextPassword" value="%NUGET_PASSWORD%" />', '<add key="ClearTextPassword" value="YOUR_PASSWORD" />'],
  "curl-user-password": ["curl -u $USER:$PASSWORD https://api.internal.net/v1/items", "curl -u admin:admin http://localhost:8080/"],
  "freemius-secret-key": ["fs_dynamic_init( array(\n    'secret_key' => getenv('FS_SECRET_KEY'),\n) );", "fs_dynamic_init( array(\n    'secret_key' => 'sk_<your secret key>',\n) );"],
  "kubernetes-secret-manifest": [
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  DB_PASSWORD: ${DB_PASSWORD}\n",
    "kind: Secret\nmetadata:\n  name: app\ndata:\n  token: <base64-encoded-token>\n",
    "const response = { kind: 'Secret', data:\n  { items: [] } };",
  ],
  "authorization-header-in-command": ['curl -H "Authorization: Bearer $TOKEN" https://api.internal.net/', 'curl -H "Authorization: Bearer <access-token>" https://api.internal.net/'],
};

/** Rules whose credential spans lines or needs its file's context: their handwritten positives stand as written. */
const WRITTEN_AS_IN_THEIR_FILES = new Set(["private-key", "private-key-base64", "openssh-private-key", "pgp-private-key", "putty-private-key", "gcp-service-account-key", "kubeconfig-client-key"]);

// ── Shapes ────────────────────────────────────────────────────────────────────────────────

export interface Shape {
  readonly name: string;
  /** Names in this shape are written in this case. */
  readonly style: "upper" | "lower" | "camel";
  readonly write: (name: string, value: string) => string;
}

const escapeJson = (s: string) => s.replace(/\\/g, "\\\\").replace(/"/g, '\\"');

export const SHAPES: readonly Shape[] = [
  { name: "assignment `=`", style: "lower", write: (n, v) => `${n} = "${v}"` },
  { name: "YAML `key: value`", style: "lower", write: (n, v) => `service:\n  ${n}: ${v}\n` },
  { name: "JSON", style: "camel", write: (n, v) => `{\n  "${n}": "${v}",\n  "region": "eu-west-1"\n}` },
  { name: "Go `:=`", style: "camel", write: (n, v) => `\t${n} := "${v}"` },
  { name: "XML element", style: "camel", write: (n, v) => `<config>\n  <${n}>${v}</${n}>\n</config>` },
  { name: "XML attribute", style: "camel", write: (n, v) => `<service ${n}="${v}" retries="3"/>` },
  { name: "XML key/value pair", style: "camel", write: (n, v) => `<appSettings>\n  <add key="${n}" value="${v}" />\n</appSettings>` },
  { name: "Go typed `var … string =`", style: "camel", write: (n, v) => `var ${n} string = "${v}"` },
  { name: "Java typed `final String … =`", style: "camel", write: (n, v) => `    private static final String ${n} = "${v}";` },
  { name: "Kotlin/TS typed `val …: String =`", style: "camel", write: (n, v) => `val ${n}: String = "${v}"` },
  { name: "PHP `.=`", style: "camel", write: (n, v) => `$${n} .= '${v}';` },
  { name: "Ruby/PHP `=>`", style: "lower", write: (n, v) => `  '${n}' => '${v}',` },
  { name: "Makefile `?=`", style: "upper", write: (n, v) => `${n} ?= ${v}` },
  { name: "Makefile `::=`", style: "upper", write: (n, v) => `${n} ::= ${v}` },
  { name: "Makefile `:::=`", style: "upper", write: (n, v) => `${n} :::= ${v}` },
  { name: "Makefile `+=`", style: "upper", write: (n, v) => `${n} += ${v}` },
  { name: "call `System.setProperty`", style: "upper", write: (n, v) => `System.setProperty("${n}", "${v}");` },
  { name: "call `os.environ[…] =`", style: "upper", write: (n, v) => `os.environ["${n}"] = "${v}"` },
  { name: "call `config.set`", style: "lower", write: (n, v) => `config.set('${n}', '${v}')` },
  { name: "Dockerfile `ENV k=v`", style: "upper", write: (n, v) => `FROM node:20\nENV ${n}=${v}\nRUN npm ci` },
  { name: "Dockerfile `ENV k v`", style: "upper", write: (n, v) => `FROM node:20\nENV ${n} ${v}\nRUN npm ci` },
  { name: "Dockerfile `ARG`", style: "upper", write: (n, v) => `ARG ${n}=${v}` },
  { name: "shell `export`", style: "upper", write: (n, v) => `export ${n}="${v}"` },
  { name: "cmd `set`", style: "upper", write: (n, v) => `set ${n}=${v}` },
  { name: "fish `set -x`", style: "upper", write: (n, v) => `set -gx ${n} ${v}` },
  { name: "PowerShell `$env:`", style: "upper", write: (n, v) => `$env:${n} = "${v}"` },
  { name: ".env", style: "upper", write: (n, v) => `NODE_ENV=production\n${n}=${v}` },
  { name: ".properties", style: "lower", write: (n, v) => `app.name=demo\n${n.replace(/_/g, ".")}=${v}` },
  { name: "TOML", style: "lower", write: (n, v) => `[service]\n${n} = "${v}"` },
  { name: "HCL", style: "lower", write: (n, v) => `provider "acme" {\n  ${n} = "${v}"\n}` },
  { name: "INI", style: "lower", write: (n, v) => `[default]\n${n}=${v}` },
  { name: "YAML block scalar", style: "lower", write: (n, v) => `secrets:\n  ${n}: |\n    ${v}\n  other: 1` },
  { name: "JSON string with `\\n` escapes", style: "upper", write: (n, v) => `{"env": "${escapeJson(`NODE_ENV=production\n${n}=${v}\nPORT=8080`)}"}`.replace(/\n/g, "\\n") },
  { name: "JSON string with `\\\"` escapes", style: "camel", write: (n, v) => `{"settings": "${escapeJson(`{"${n}": "${v}"}`)}"}` },
];

/** Only prefixed tokens stand bare in text; named ones need their setting. */
export const BARE_SHAPE: Shape = { name: "bare in text", style: "lower", write: (_n, v) => `see ${v} for details` };

const IDENTIFIER_KEYWORD = /^[a-z][a-z0-9_]*$/;
const SECRETISH = /key|token|secret|password|auth|credential|pat$/;

function settingName(rule: SecretRuleSpec, style: Shape["style"]): string {
  const keywords = rule.keywords ?? [];
  let snake: string;
  if (!rule.afterKeyword) snake = "api_key";
  else {
    const kw = keywords.find((k) => IDENTIFIER_KEYWORD.test(k)) ?? keywords[0]!.replace(/[^a-z0-9_]/g, "_");
    snake = SECRETISH.test(kw) ? kw : `${kw.replace(/[_-]+$/, "")}_token`;
    if (rule.id === "aws-secret-access-key") snake = "aws_secret_access_key";
  }
  if (style === "upper") return snake.toUpperCase();
  if (style === "lower") return snake;
  const camel = snake.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
  return keywords.some((k) => camel.toLowerCase().includes(k)) || !rule.afterKeyword ? camel : snake;
}

// ── Cases ─────────────────────────────────────────────────────────────────────────────────

export interface CorpusCase {
  readonly rule: string;
  readonly family: string;
  /** The shape's name, or the kind of false case. */
  readonly shape: string;
  readonly text: string;
  /** The planted secret, for positives. */
  readonly secret?: string;
  readonly positive: boolean;
}

const FAMILIES: readonly (readonly [string, readonly string[]])[] = [
  ["Cloud & infrastructure", ["Amazon Web Services", "Google", "Microsoft Azure", "DigitalOcean", "Alibaba Cloud", "Tencent Cloud", "Heroku", "Supabase", "HashiCorp", "Doppler", "Pulumi", "Fly.io", "Netlify", "Render", "Neon", "PlanetScale", "Tailscale", "Kubernetes", "Cloudflare", "IBM Cloud", "IBM Cloudant", "IBM SoftLayer", "Red Hat OpenShift", "Yandex Cloud", "Dropbox", "Fastly", "Okta", "Defined Networking", "Scalingo", "Databricks", "Aiven", "ClickHouse Cloud", "Snowflake", "Yandex", "Vercel", "Railway", "MongoDB Atlas"]],
  ["Source hosting & CI", ["GitHub", "GitLab", "Bitbucket", "Atlassian", "Buildkite", "CircleCI", "Harness", "Octopus Deploy", "Sourcegraph", "SonarQube", "Infracost", "Azure DevOps", "Drone CI", "Travis CI", "Codecov", "Snyk", "Gitter", "LaunchDarkly", "Ionic", "DevCycle", "Zuplo", "Sauce Labs", "BrowserStack", "Cypress", "Gitea", "Jenkins"]],
  ["Package registries", ["npm", "PyPI", "RubyGems", "Docker Hub", "NuGet", "crates.io", "JFrog", "Clojars", "Package registry credentials", "Sidekiq"]],
  ["Chat, mail & webhooks", ["Slack", "Discord", "Telegram", "Microsoft Teams", "Google Chat", "Feishu / Lark", "DingTalk", "WeCom", "Zapier", "IFTTT", "SendGrid", "Mailgun", "Mailchimp", "Brevo", "Resend", "Twilio", "Vonage", "MessageBird", "Sendbird", "Mattermost", "Intercom", "Zendesk", "Pusher", "Telnyx", "Plivo", "Postmark", "Mailjet", "Pushover"]],
  ["Payments & finance", ["Stripe", "Braintree", "Square", "Shopify", "Plaid", "Shippo", "EasyPost", "Flutterwave", "Duffel", "GoCardless", "Coinbase", "Kraken", "KuCoin", "Bittrex", "Finicity", "Finnhub", "Lob", "Midtrans", "Mercado Pago", "Onfido", "Freemius", "Paddle"]],
  ["Observability", ["Datadog", "New Relic", "Sentry", "PagerDuty", "Dynatrace", "Grafana", "Sumo Logic", "Rootly", "Rollbar", "Langfuse", "Loggly"]],
  ["Keys, JWTs & key stores", ["PEM private key", "OpenSSH", "PGP", "PuTTY", "age", "JSON Web Token", "1Password"]],
  ["URLs, headers & commands", ["Database connection string", "Credentials in a URL", "HTTP Authorization header", "Credentials in a command"]],
  ["Generic", ["Generic"]],
];

export function familyOf(provider: string): string {
  return FAMILIES.find(([, providers]) => providers.includes(provider))?.[0] ?? "SaaS, AI & data";
}

interface Token {
  readonly text: string;
  /** Where the secret is in `text`: group 1 of a rule that reports a part of its match, else all of it. */
  readonly secret: readonly [number, number];
}

function drawToken(rule: SecretRuleSpec, mode: BodyMode): Token {
  const custom = mode === "random" ? TOKEN_GENERATORS[rule.id] : undefined;
  if (custom) {
    const text = custom();
    return { text, secret: [0, text.length] };
  }
  for (let attempt = 0; ; attempt++) {
    const drawn = draw(parsePattern(rule.pattern!), mode);
    const own = rule.afterKeyword && drawn.group !== undefined;
    const text = own ? drawn.text.slice(...drawn.group!) : drawn.text;
    const secret: [number, number] = !own && drawn.group ? drawn.group : [0, text.length];
    if (mode !== "random" || attempt > 50 || !ACCIDENTAL_PLACEHOLDER.test(text.slice(...secret))) {
      const scheme = /^[a-z0-9.-]+\.[a-z]{2,}\//.test(text) ? "https://" : "";
      return { text: scheme + text, secret: [secret[0] + scheme.length, secret[1] + scheme.length] };
    }
  }
}

const tokenFor = (rule: SecretRuleSpec, mode: BodyMode): string => drawToken(rule, mode).text;

const PLACEHOLDER_WORDS = ["EXAMPLE", "example", "XXXXXXXX", "xxxxxxxx", "YOUR", "your", "REDACTED", "placeholder", "dummy"];

/** The first capturing group of a grammar, if it has one. */
function capturedGrammar(g: Gen): Gen | null {
  if (g.kind === "choice" && g.capture) return g;
  if (g.kind === "sequence") for (const item of g.items) {
    const found = capturedGrammar(item);
    if (found) return found;
  }
  if (g.kind === "choice") for (const option of g.options) {
    const found = capturedGrammar(option);
    if (found) return found;
  }
  if (g.kind === "repeat") return capturedGrammar(g.item);
  return null;
}

/**
 * A valid-shaped token with a placeholder word where its random body was: inside the secret the
 * rule reports (group 1), not in the parts around it (a webhook's event name, a URL's host).
 */
function withPlaceholder(rule: SecretRuleSpec, token: Token): string | null {
  const gen = parsePattern(rule.pattern!);
  const classes: string[] = [];
  const collect = (g: Gen): void => {
    if (g.kind === "class") classes.push(g.chars);
    else if (g.kind === "sequence") g.items.forEach(collect);
    else if (g.kind === "choice") g.options.forEach(collect);
    else if (g.kind === "repeat") collect(g.item);
  };
  collect(capturedGrammar(gen) ?? gen);
  const body = classes.sort((a, b) => b.length - a.length)[0] ?? "";
  const word = PLACEHOLDER_WORDS.find((w) => [...w].every((c) => body.includes(c)));
  const [from, to] = token.secret;
  if (!word || to - from < word.length + 8) return null;
  const at = from + Math.max(4, Math.floor((to - from - word.length) / 2));
  return token.text.slice(0, at) + word + token.text.slice(at + word.length);
}

export function buildCorpus(rules: readonly SecretRuleSpec[] = BUILTIN_RULES): CorpusCase[] {
  const cases: CorpusCase[] = [];
  const contentRules = rules.filter((r) => r.pattern !== undefined);
  for (const rule of contentRules) {
    const family = familyOf(rule.provider);
    const add = (shape: string, text: string, positive: boolean, secret?: string) => cases.push({ rule: rule.id, family, shape, text, positive, secret });
    const drawn = <T>(what: string, make: () => T): T => withStream(`corpus/${rule.id}/${what}`, make);

    if (WRITTEN_AS_IN_THEIR_FILES.has(rule.id)) {
      for (const text of SAMPLES[rule.id]?.positives ?? []) add("as in its file", text, true);
      for (const text of SAMPLES[rule.id]?.negatives ?? []) add("near miss", text, false);
      continue;
    }
    const native = NATIVE_TEXTS[rule.id];
    if (native) {
      for (let i = 0; i < 3; i++) for (const text of drawn(`native #${i}`, native)) add("as in its file", text, true);
      for (const text of [...(SAMPLES[rule.id]?.negatives ?? []), ...(NATIVE_FALSE_TEXTS[rule.id] ?? [])]) add("near miss", text, false);
      continue;
    }

    const shapes = rule.afterKeyword ? SHAPES : [BARE_SHAPE, ...SHAPES];
    for (const shape of shapes) {
      const token = drawn(shape.name, () => tokenFor(rule, "random"));
      add(shape.name, shape.write(settingName(rule, shape.style), token), true, token);
    }
    // Which shapes hold a rule's false cases depends on the rule alone, not on its place in the list.
    const firstShape = seedOf(rule.id) % SHAPES.length;
    const negativeShape = (i: number) => SHAPES[(firstShape + i * 7) % SHAPES.length]!;
    const made: [string, string | null][] = [
      ["one character repeated", drawn("repeated", () => tokenFor(rule, "repeated"))],
      ["alphabet in order", drawn("sequential", () => tokenFor(rule, "sequential"))],
      ["placeholder word in a valid shape", drawn("placeholder", () => withPlaceholder(rule, drawToken(rule, "random")))],
    ];
    made.forEach(([kind, token], i) => {
      if (token === null || TOKEN_GENERATORS[rule.id]) return;
      const shape = negativeShape(i);
      add(kind, shape.write(settingName(rule, shape.style), token), false);
    });
    for (const text of SAMPLES[rule.id]?.negatives ?? []) add("near miss", text, false);
    for (const token of drawn("made up", () => MADE_UP_GENERATORS[rule.id]?.() ?? [])) add("one character repeated", SHAPES[0]!.write(settingName(rule, "lower"), token), false);
  }
  cases.push(...lookalikes());
  return cases;
}

/** Text that only looks like a credential, found in ordinary repositories: kind, and how to write one. */
const LOOKALIKES: readonly (readonly [string, () => string])[] = (() => {
  const hex = (n: number) => pick(HEX, n);
  const uuid = () => `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`;
  return [
    ["URL with random-looking path", () => `const url = "https://cdn.assets.net/${pick(B62, 24)}/${pick(LOWER, 6)}.png";`],
    ["URL with random-looking path", () => `[watch](https://video.site.net/watch?v=${pick(B64URL, 11)}&list=${pick(B64URL, 34)})`],
    ["URL with random-looking path", () => `https://docs.office.net/document/d/${pick(B64URL, 44)}/edit#heading=h.${pick(LOWER + DIGITS, 12)}`],
    ["asset hash", () => `<script src="/static/js/main.${hex(8)}.chunk.js" integrity="sha384-${pick(B64, 64)}" crossorigin></script>`],
    ["asset hash", () => `<link rel="stylesheet" href="/assets/application-${hex(64)}.css">`],
    ["asset hash", () => `"integrity": "sha512-${pick(B64, 86)}=="`],
    ["file name", () => `COPY dist/vendor.${hex(20)}.js /srv/app/`],
    ["file name", () => `images/${uuid()}.jpg`],
    ["file name", () => `load("/cache/key-${hex(32)}.json")`],
    ["commit hash", () => `git checkout ${hex(40)} # pin the tested revision`],
    ["commit hash", () => `"sha": "${hex(40)}", "tree": { "sha": "${hex(40)}" }`],
    ["UUID identifier", () => `request_id = "${uuid()}"`],
    ["code", () => `const tokenizer = new Tokenizer(${pick(LOWER, 8)}Options);`],
    ["code", () => `password = input("Password for ${pick(LOWER, 6)}: ")`],
    ["code", () => `if (token === undefined) throw new Error("missing token");`],
    ["code", () => `secret_key = os.environ.get("SECRET_KEY")`],
    ["code", () => `const { apiKey } = await loadConfig(${pick(LOWER, 6)}Path);`],
    ["base64 image", () => `background: url(data:image/png;base64,${pick(B64, 120)}=);`],
    ["vendor documentation", () => `aws_access_key_id = AKIAIOSFODNN7${"EXAMPLE"}`],
    ["vendor documentation", () => `stripe.api_key = "sk_test_${pick(B62, 24)}"`],
    ["vendor documentation", () => `GITHUB_TOKEN=ghp_${pick(B62, 36)}`],
    ["vendor documentation", () => `DATABASE_URL=postgres://user:password@localhost:5432/mydb`],
    ["vendor documentation", () => `curl -u username:password https://api.service.net/v1/me`],
    ["vendor documentation", () => `curl -H "Authorization: Bearer YOUR_ACCESS_TOKEN" https://api.service.net/v1/me`],
    ["vendor documentation", () => `token = "${jwt("none").replace(/\.[^.]*$/, ".")}"`],
  ];
})();

/** Twelve of each look-alike, each drawn from its own stream (named by its kind and its place among that kind). */
function lookalikes(): CorpusCase[] {
  const out: CorpusCase[] = [];
  const seen = new Map<string, number>();
  for (const [shape, write] of LOOKALIKES) {
    const n = seen.get(shape) ?? 0;
    seen.set(shape, n + 1);
    withStream(`lookalike/${shape} #${n}`, () => {
      for (let i = 0; i < 12; i++) out.push({ rule: "(none)", family: "Look-alikes", shape, text: write(), positive: false });
    });
  }
  return out;
}

// ── Measuring ─────────────────────────────────────────────────────────────────────────────

export interface Tally {
  positives: number;
  found: number;
  negatives: number;
  /** False cases with a blocking finding. */
  blocked: number;
  /** False cases with any finding (warnings included). */
  flagged: number;
}

export interface CorpusResult {
  readonly total: Tally;
  readonly byFamily: ReadonlyMap<string, Tally>;
  readonly byShape: ReadonlyMap<string, Tally>;
  readonly misses: readonly CorpusCase[];
  readonly falseAlarms: readonly CorpusCase[];
}

export interface Finding {
  readonly rule: string;
  readonly severity: "failure" | "warning";
  readonly secret: string;
}

const emptyTally = (): Tally => ({ positives: 0, found: 0, negatives: 0, blocked: 0, flagged: 0 });

/**
 * A true case counts as found when its rule reports a secret that overlaps the planted one
 * (or, for texts written as in their files, when its rule reports anything); a false case
 * counts against the scanner when anything blocks, and separately when anything is reported.
 */
export function measure(cases: readonly CorpusCase[], scan: (text: string) => Finding[]): CorpusResult {
  const total = emptyTally();
  const byFamily = new Map<string, Tally>();
  const byShape = new Map<string, Tally>();
  const misses: CorpusCase[] = [];
  const falseAlarms: CorpusCase[] = [];
  for (const c of cases) {
    const findings = scan(c.text);
    const tallies = [total, getOr(byFamily, c.family), getOr(byShape, c.shape)];
    if (c.positive) {
      const found = findings.some((f) => f.rule === c.rule && (c.secret === undefined || c.secret.includes(f.secret) || f.secret.includes(c.secret)));
      for (const t of tallies) {
        t.positives++;
        if (found) t.found++;
      }
      if (!found) misses.push(c);
    } else {
      const blocked = findings.some((f) => f.severity === "failure");
      for (const t of tallies) {
        t.negatives++;
        if (blocked) t.blocked++;
        if (findings.length > 0) t.flagged++;
      }
      if (blocked) falseAlarms.push(c);
    }
  }
  return { total, byFamily, byShape, misses, falseAlarms };
}

function getOr(map: Map<string, Tally>, key: string): Tally {
  let t = map.get(key);
  if (!t) map.set(key, (t = emptyTally()));
  return t;
}

/** Recall rounds down and false-positive rates round up, so a table never flatters. */
const percent = (part: number, whole: number, round: (x: number) => number) => (whole === 0 ? "–" : `${(round((1000 * part) / whole) / 10).toFixed(1)}%`);
const down = (part: number, whole: number) => percent(part, whole, Math.floor);
const up = (part: number, whole: number) => percent(part, whole, Math.ceil);

export const CORPUS_START = "<!-- corpus:start (generated by test/secrets/corpus.test.ts; do not edit by hand) -->";
export const CORPUS_END = "<!-- corpus:end -->";

export function renderCorpusReport(result: CorpusResult, rules: number, providers: number): string {
  const row = (name: string, t: Tally) =>
    `| ${name} | ${t.positives} | ${down(t.found, t.positives)} | ${t.negatives} | ${up(t.blocked, t.negatives)} | ${up(t.flagged, t.negatives)} |`;
  const header = (first: string) => [`| ${first} | true cases | recall | false cases | false positives (blocking) | reported at all (warnings too) |`, "|---|---|---|---|---|---|"];
  const sorted = (m: ReadonlyMap<string, Tally>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b));
  return [
    `${rules} content and file rules for ${providers} providers. Corpus: ${result.total.positives} true cases, ${result.total.negatives} false cases; ` +
      `recall **${down(result.total.found, result.total.positives)}** (${result.total.positives - result.total.found} missed), ` +
      `false positives **${up(result.total.blocked, result.total.negatives)}** blocking (${result.total.blocked} cases; ` +
      `${up(result.total.flagged, result.total.negatives)} reported at all, warnings included).`,
    "",
    "By provider family:",
    "",
    ...header("family"),
    ...sorted(result.byFamily).map(([k, t]) => row(k, t)),
    row("**all**", result.total),
    "",
    "By assignment shape (true cases: every single-line credential written in every shape) and by kind of false case:",
    "",
    ...header("shape or kind"),
    ...sorted(result.byShape).map(([k, t]) => row(k, t)),
  ].join("\n");
}

export function withCorpusReport(document: string, report: string): string {
  const start = document.indexOf(CORPUS_START);
  const end = document.indexOf(CORPUS_END);
  if (start < 0 || end < start) throw new Error("docs/secrets.md has no corpus markers");
  return `${document.slice(0, start + CORPUS_START.length)}\n${report}\n${document.slice(end)}`;
}
