// After npm ci compiled better-sqlite3 from source (no prebuilt binary is reachable from CI), this
// keeps the result where its installer, prebuild-install, looks before it downloads anything:
// npm's cache, under the name of this version's prebuild for this Node ABI, platform and
// architecture. The next npm ci on the machine unpacks it (prebuild-install loads it to check it,
// and compiles as before when that fails) instead of compiling SQLite again, a minute or more.
// Only a binary that opens a database is kept. Argument: npm's cache directory.
const { execFileSync } = require("node:child_process");
const { existsSync, mkdirSync, renameSync } = require("node:fs");
const path = require("node:path");

process.env.npm_config_cache = process.argv[2] || process.env.npm_config_cache;
const root = path.join(__dirname, "..");
const dir = path.join(root, "node_modules", "better-sqlite3");
const binary = path.join(dir, "build", "Release", "better_sqlite3.node");
const installer = path.join(root, "node_modules", "prebuild-install");
if (!existsSync(binary) || !existsSync(installer)) process.exit(0);
const pkg = require(path.join(dir, "package.json"));
const rc = require(path.join(installer, "rc"))(pkg);
const util = require(path.join(installer, "util"));
const cached = util.cachedPrebuild(util.getDownloadUrl({ ...rc, pkg }));
if (existsSync(cached)) process.exit(0);
execFileSync(process.execPath, ["-e", `new (require(${JSON.stringify(dir)}))(":memory:").prepare("select 1").get()`], { stdio: "inherit" });
mkdirSync(path.dirname(cached), { recursive: true });
const temp = `${cached}.${process.pid}`;
execFileSync("tar", ["-czf", temp, "-C", dir, "build/Release/better_sqlite3.node"]);
renameSync(temp, cached);
console.log(`CI: kept the compiled better-sqlite3 in npm's cache (${cached}) for the next npm ci`);
