import fs from "node:fs";
import path from "node:path";

/** The research samples (verbatim captures, each with its source in a header comment), copied unchanged. */
export const SAMPLES_DIR = path.resolve(__dirname, "../fixtures/hr/verbatim");
export const FIXTURES_DIR = path.resolve(__dirname, "../fixtures/hr");

/** Strips the leading `//` comment lines (their source notes) the .jsonc samples carry, so the rest parses. */
export const stripLineComments = (text: string): string =>
  text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("//"))
    .join("\n");

export function readSample(name: string): string {
  const text = fs.readFileSync(path.join(SAMPLES_DIR, name), "utf8");
  return name.endsWith(".jsonc") ? stripLineComments(text) : text;
}

export function readFixture(name: string): string {
  const text = fs.readFileSync(path.join(FIXTURES_DIR, name), "utf8");
  return name.endsWith(".jsonc") ? stripLineComments(text) : text;
}
