import { describe, expect, it } from "vitest";
import { findUnstorableText } from "./text.ts";

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
  ])("%s", (_name, value, expected) => {
    expect(findUnstorableText(value)).toEqual(expected);
  });
});
