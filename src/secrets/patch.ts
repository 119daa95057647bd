/**
 * Unified-diff hunks (as in ChangedFile.patch) to the runs of added lines, with head line
 * numbers. Removed lines are not in the head file, so they do not break a run: `-a +b -c +d`
 * gives one run of two lines. Context lines and hunk boundaries do.
 */
import type { TextRun } from "./types.js";

const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/** null when the text has no hunk header at all (not a patch this parser can read). */
export function addedRuns(patch: string): TextRun[] | null {
  const runs: TextRun[] = [];
  let current: string[] = [];
  let currentStart = 0;
  let lastAdded = -1;
  let newLine = 0;
  let sawHunk = false;

  const flush = () => {
    if (current.length > 0) runs.push({ startLine: currentStart, text: current.join("\n") });
    current = [];
  };

  let lineStart = 0;
  while (lineStart <= patch.length) {
    let lineEnd = patch.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = patch.length;
    const line = patch.slice(lineStart, lineEnd);
    lineStart = lineEnd + 1;

    if (line.startsWith("@@")) {
      const m = HUNK_HEADER.exec(line);
      if (!m) continue;
      flush();
      sawHunk = true;
      newLine = Number(m[1]);
      lastAdded = -1;
      continue;
    }
    if (!sawHunk) continue;
    const marker = line[0];
    if (marker === "+") {
      if (lastAdded !== newLine - 1 || current.length === 0) {
        flush();
        currentStart = newLine;
      }
      current.push(line.endsWith("\r") ? line.slice(1, -1) : line.slice(1));
      lastAdded = newLine;
      newLine++;
    } else if (marker === "-" || marker === "\\") {
      // removed line, or "\ No newline at end of file": not in the head file
    } else {
      flush();
      newLine++;
    }
  }
  flush();
  return sawHunk ? runs : null;
}
