/**
 * The readiness badge: a shields-style SVG (badge-maker, the library shields.io renders with)
 * saying the level a repository reached and whether that meets its requirement.
 */
import { makeBadge } from "badge-maker";
import type { StoredEvaluation } from "../state/types.js";
import { meetsRequired } from "./scorecard-view.js";

const MEETS = "#2da44e";
const BELOW = "#cf222e";

export function badgeSvg(record: StoredEvaluation): string {
  const reached = record.levelReached ?? "none";
  const message = record.levelRequired && record.levelRequired !== record.levelReached ? `${reached} (needs ${record.levelRequired})` : reached;
  return makeBadge({ label: "readiness", message, color: meetsRequired(record) ? MEETS : BELOW });
}
