/** The runner protocol: escaping that no file name or finding can break out of, outputs read back exactly, GitHub's caps. */
import { describe, expect, test } from "@jest/globals";
import { annotationCommand, capAnnotations, escapeData, escapeProperty, outputBlock } from "../../src/action/commands.js";
import type { Annotation } from "../../src/render/types.js";

const annotation = (over: Partial<Annotation> = {}): Annotation => ({ path: "src/a.ts", start_line: 3, end_line: 3, annotation_level: "failure", message: "m", title: "readiness: secrets", ...over });

describe("escaping", () => {
  test.each([
    ["100%", "100%25", "100%25"],
    ["a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"],
    ["k:v,w", "k:v,w", "k%3Av%2Cw"],
    ["%0A", "%250A", "%250A"],
  ])("%j → data %j, property %j", (raw, data, property) => {
    expect(escapeData(raw)).toBe(data);
    expect(escapeProperty(raw)).toBe(property);
  });

  test("a file name or message that spells a command stays one annotation", () => {
    const line = annotationCommand(annotation({ path: "x,line=1::y\n::error::forged", message: "bad\n::warning file=z::forged" }));
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toBe("::error file=x%2Cline=1%3A%3Ay%0A%3A%3Aerror%3A%3Aforged,line=3,title=readiness%3A secrets::bad%0A::warning file=z::forged");
  });

  test("levels map to error, warning, notice; a range gets endLine", () => {
    expect(annotationCommand(annotation({ annotation_level: "warning", start_line: 2, end_line: 5, title: undefined }))).toBe("::warning file=src/a.ts,line=2,endLine=5::m");
    expect(annotationCommand(annotation({ annotation_level: "notice" }))).toMatch(/^::notice /);
  });
});

test("at most ten annotations of each level, in order; the rest are counted", () => {
  const many = [...Array.from({ length: 12 }, (_, i) => annotation({ start_line: i + 1 })), ...Array.from({ length: 3 }, () => annotation({ annotation_level: "warning" }))];
  const { shown, omitted } = capAnnotations(many);
  expect(shown.filter((a) => a.annotation_level === "failure").map((a) => a.start_line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  expect(shown.filter((a) => a.annotation_level === "warning")).toHaveLength(3);
  expect(omitted).toBe(2);
});

describe("outputs", () => {
  test("a multi-line value is read back exactly; a delimiter found in the value is never used", () => {
    const delimiters = ["EOF", "EOF", "OTHER"];
    const block = outputBlock("summary", "line one\nEOF\nline three", () => delimiters.shift()!);
    expect(block).toBe("summary<<OTHER\nline one\nEOF\nline three\nOTHER\n");
  });

  test("an empty value and a bad name", () => {
    expect(outputBlock("level", "", () => "D")).toBe("level<<D\n\nD\n");
    expect(() => outputBlock("bad name", "x")).toThrow(/not a valid output name/);
  });
});
