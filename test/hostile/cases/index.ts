/** Every hostile case, by theme. A new theme: a file here exporting its cases, listed below. */
import type { HostileCase } from "../harness.js";
import { EDGE_CASES } from "./edge.js";
import { FAN_OUT_CASES } from "./fan-out.js";
import { OUTPUT_CASES } from "./output.js";
import { SECRETS_CASES } from "./secrets.js";
import { STALL_CASES } from "./stall.js";

export const HOSTILE_CASES: readonly HostileCase[] = [...EDGE_CASES, ...STALL_CASES, ...OUTPUT_CASES, ...SECRETS_CASES, ...FAN_OUT_CASES];
