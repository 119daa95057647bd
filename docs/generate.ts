/** Rewrites the generated docs: `npm run docs`. test/docs checks they are current. */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { registry } from "../rules/index.js";
import { ruleCatalogueMarkdown, schemaFileText, withPresetComparison } from "../src/config/reference.js";

const docs = (name: string) => fileURLToPath(new URL(name, import.meta.url));
writeFileSync(docs("rules.md"), ruleCatalogueMarkdown(registry));
writeFileSync(docs("readiness.schema.json"), schemaFileText(registry));
writeFileSync(docs("configuration.md"), await withPresetComparison(readFileSync(docs("configuration.md"), "utf8"), registry));
console.log("wrote docs/rules.md, docs/readiness.schema.json and the preset table of docs/configuration.md");
