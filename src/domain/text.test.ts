import { describe, expect, it } from "vitest";
import { findUnstorableText, truncateText } from "./text.ts";

describe("findUnstorableText", () => {
  it.each([
    ["plain text", { a: "hello", b: ["ünïcødé", "😀"] }, null],
    [
      "a NUL in a nested value",
      { a: { b: ["x", "y\u0000"] } },
      { path: "a.b.1", reason: "contains a NUL character" },
    ],
    [
      "a lone high surrogate",
      { name: "a\ud800" },
      { path: "name", reason: "is not valid Unicode (a lone surrogate)" },
    ],
    [
      "a lone low surrogate",
      { name: "\udc00a" },
      { path: "name", reason: "is not valid Unicode (a lone surrogate)" },
    ],
    ["a NUL in a key", { "k\u0000": 1 }, { path: "k\u0000", reason: "contains a NUL character" }],
    ["a bare string", "x\u0000", { path: "", reason: "contains a NUL character" }],
    ["numbers and null", { n: 1, z: null, t: true }, null],
    [
      "an object's keys before its values, in order",
      { a: { x: "\u0000" }, "b\u0000": 1, "c\u0000": 1 },
      { path: "b\u0000", reason: "contains a NUL character" },
    ],
    [
      "values in order",
      { a: [1, { x: "ok" }, "\u0000"], b: "\u0000" },
      { path: "a.2", reason: "contains a NUL character" },
    ],
  ])("%s", (_name, value, expected) => {
    expect(findUnstorableText(value)).toEqual(expected);
  });
});

describe("findUnstorableText on deep values", () => {
  it("walks a value nested 100,000 levels deep without overflowing the stack", () => {
    let deep: unknown = "bottom\u0000";
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const found = findUnstorableText({ properties: deep });
    expect(found?.reason).toBe("contains a NUL character");
    expect(found?.path.startsWith("properties.0.0.0")).toBe(true);
    expect(
      findUnstorableText({ ok: JSON.parse(`${"[".repeat(50_000)}1${"]".repeat(50_000)}`) }),
    ).toBe(null);
  });
});

describe("truncateText", () => {
  it.each([
    ["short text is kept", "abc", 5, "abc"],
    ["cut at the limit", "abcdef", 4, "abcd"],
    ["a pair cut in half is dropped whole", `${"a".repeat(63)}😀`, 64, "a".repeat(63)],
    ["a pair that fits is kept", `${"a".repeat(62)}😀x`, 64, `${"a".repeat(62)}😀`],
    ["accents are single units", "ünïcødé", 3, "ünï"],
  ])("%s", (_name, text, max, expected) => {
    expect(truncateText(text, max)).toBe(expected);
    expect(findUnstorableText(truncateText(text, max))).toBe(null);
  });
});
