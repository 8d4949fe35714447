/**
 * A line diff of two texts, for comparing mapping versions. Common lines at both ends are matched first; the
 * changed middle is aligned by longest common subsequence. A middle too large to align (more than a few
 * million line pairs) is shown as removed then added, rather than making the browser work for minutes.
 */
const MAX_CELLS = 4_000_000;

/** `[{ kind: "same" | "added" | "removed", text, from?, to? }]` with 1-based line numbers in each text. */
export function diffLines(before, after) {
  const a = before.replace(/\r\n/g, "\n").split("\n");
  const b = after.replace(/\r\n/g, "\n").split("\n");
  if (a.at(-1) === "") a.pop();
  if (b.at(-1) === "") b.pop();
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const lines = [];
  for (let i = 0; i < start; i++) lines.push({ kind: "same", text: a[i], from: i + 1, to: i + 1 });
  lines.push(...alignMiddle(a, b, start, endA, endB));
  for (let i = endA, j = endB; i < a.length; i++, j++)
    lines.push({ kind: "same", text: a[i], from: i + 1, to: j + 1 });
  return lines;
}

function alignMiddle(a, b, start, endA, endB) {
  const n = endA - start;
  const m = endB - start;
  const out = [];
  if (n * m > MAX_CELLS) {
    for (let i = start; i < endA; i++) out.push({ kind: "removed", text: a[i], from: i + 1 });
    for (let j = start; j < endB; j++) out.push({ kind: "added", text: b[j], to: j + 1 });
    return out;
  }
  // lcs[i][j]: length of the longest common subsequence of a[start+i..] and b[start+j..].
  const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] =
        a[start + i] === b[start + j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      out.push({ kind: "same", text: a[start + i], from: start + i + 1, to: start + j + 1 });
      i++;
      j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push({ kind: "added", text: b[start + j], to: start + j + 1 });
      j++;
    } else {
      out.push({ kind: "removed", text: a[start + i], from: start + i + 1 });
      i++;
    }
  }
  return out;
}

/** Runs of unchanged lines longer than `context * 2` folded to `{ kind: "skipped", count }` between changes. */
export function withContext(lines, context = 3) {
  const out = [];
  let run = [];
  const flush = (atStart, atEnd) => {
    const keepHead = atStart ? 0 : context;
    const keepTail = atEnd ? 0 : context;
    if (run.length > keepHead + keepTail + 1) {
      out.push(...run.slice(0, keepHead), { kind: "skipped", count: run.length - keepHead - keepTail });
      out.push(...run.slice(run.length - keepTail));
    } else out.push(...run);
    run = [];
  };
  let seenChange = false;
  for (const line of lines) {
    if (line.kind === "same") run.push(line);
    else {
      flush(!seenChange, false);
      seenChange = true;
      out.push(line);
    }
  }
  flush(!seenChange, true);
  return out;
}
