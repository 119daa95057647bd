/**
 * The keys that appear more than once in one JSON object, anywhere in a JSON text. JSON.parse
 * silently keeps the last of them, so this reads the text itself.
 */
export function duplicateKeys(json: string): string[] {
  const duplicates: string[] = [];
  const objects: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let end = i + 1;
      while (json[end] !== '"') end += json[end] === "\\" ? 2 : 1;
      const text = JSON.parse(json.slice(i, end + 1)) as string;
      const keys = objects.at(-1);
      if (expectKey && keys) {
        if (keys.has(text)) duplicates.push(text);
        keys.add(text);
      }
      expectKey = false;
      i = end;
    } else if (c === "{") {
      objects.push(new Set());
      expectKey = true;
    } else if (c === "[") {
      objects.push(null);
    } else if (c === "}" || c === "]") {
      objects.pop();
    } else if (c === ",") {
      expectKey = objects.at(-1) instanceof Set;
    }
  }
  return duplicates;
}
