import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "./csv";

describe("csvCell", () => {
  it.each([
    ["plain", "plain"],
    ["", '""'],
    [null, ""],
    [undefined, ""],
    [42, "42"],
    ["a,b", '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ["line\nbreak", '"line\nbreak"'],
    [" padded ", " padded "],
    // Formula injection: a leading apostrophe makes spreadsheets show the text, not run it.
    ["=SUM(A1:A9)", "'=SUM(A1:A9)"],
    ["+1+1", "'+1+1"],
    ["-2+3", "'-2+3"],
    ["@cmd", "'@cmd"],
    ["\tTAB", "'\tTAB"],
    ["\r=evil", "\"'\r=evil\""],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ["a=b", "a=b"],
    [{ before: { role: "=x" } }, '"{""before"":{""role"":""=x""}}"'],
  ])("%j → %s", (input, out) => {
    expect(csvCell(input)).toBe(out);
  });

  it("joins a row, LF-terminated", () => {
    expect(csvRow(["a", "=b", null, 'c"d'])).toBe("a,'=b,,\"c\"\"d\"\n");
  });
});
