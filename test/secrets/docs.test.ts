import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILTIN_RULES } from "../../src/secrets/builtin-rules.js";
import { renderCatalogue, withCatalogue } from "../../src/secrets/catalogue.js";
import { secretsOptions } from "../../src/secrets/options.js";
import YAML from "yaml";

const docPath = join(process.cwd(), "docs", "secrets.md");

describe("docs/secrets.md", () => {
  test("its catalogue is the one the rule data renders (UPDATE_DOCS=1 rewrites it)", () => {
    const current = readFileSync(docPath, "utf8");
    const fresh = withCatalogue(current);
    if (process.env.UPDATE_DOCS === "1" && fresh !== current) writeFileSync(docPath, fresh);
    else expect(current).toBe(fresh);
  });

  test("the catalogue lists every rule id, provider and the placeholder shapes", () => {
    const catalogue = renderCatalogue();
    for (const r of BUILTIN_RULES) {
      expect(catalogue).toContain(`\`${r.id}\``);
      expect(catalogue).toContain(`| ${r.provider} |`);
    }
    expect(catalogue).toContain("${VAR}");
    expect(catalogue).toContain("<your-token>");
  });

  test("the options example in the document is valid", () => {
    const text = readFileSync(docPath, "utf8");
    const block = /## Options\n\n```yaml\n([\s\S]*?)```/.exec(text)?.[1];
    expect(block).toBeDefined();
    const { level: _level, ...options } = (YAML.parse(block!) as { rules: { secrets: Record<string, unknown> } }).rules.secrets;
    const parsed = secretsOptions.safeParse(options);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});
