/** Rewrites the generated docs: `npm run docs`. test/docs checks they are current. */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { registry } from "../rules/index.js";
import { ruleCatalogueMarkdown, schemaFileText } from "../src/config/reference.js";

const docs = (name: string) => fileURLToPath(new URL(name, import.meta.url));
writeFileSync(docs("rules.md"), ruleCatalogueMarkdown(registry));
writeFileSync(docs("readiness.schema.json"), schemaFileText(registry));
console.log("wrote docs/rules.md and docs/readiness.schema.json");
