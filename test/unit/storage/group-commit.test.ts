import { GroupCommit } from "../../../src/storage/group-commit";

/** A write the test finishes by hand, recording what each write carried. */
function manualWrites() {
  const writes: { items: string[]; finish: (error?: Error) => void }[] = [];
  const write = (items: string[]) =>
    new Promise<void>((resolve, reject) => {
      writes.push({ items, finish: (error) => (error ? reject(error) : resolve()) });
    });
  return { writes, write };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("GroupCommit", () => {
  it("writes a lone item at once, and everything that arrives during a write together in the next", async () => {
    const { writes, write } = manualWrites();
    const commits = new GroupCommit(write, { maxItems: 100, maxWeight: 1_000, weigh: (s) => s.length });
    const first = commits.add("a");
    await tick();
    expect(writes.map((w) => w.items)).toEqual([["a"]]);
    const rest = ["b", "c", "d"].map((item) => commits.add(item));
    await tick();
    expect(writes).toHaveLength(1);
    writes[0].finish();
    await first;
    await tick();
    expect(writes.map((w) => w.items)).toEqual([["a"], ["b", "c", "d"]]);
    writes[1].finish();
    await Promise.all(rest);
  });

  it("keeps each write within the item and weight limits, in arrival order", async () => {
    const { writes, write } = manualWrites();
    const commits = new GroupCommit(write, { maxItems: 3, maxWeight: 9, weigh: (s) => s.length });
    const added = [commits.add("x")];
    await tick();
    for (const item of ["1", "22", "333", "4444", "55555", "6"]) added.push(commits.add(item));
    for (let i = 0; i < 4; i++) {
      writes[i].finish();
      await tick();
      await tick();
    }
    await Promise.all(added);
    expect(writes.map((w) => w.items)).toEqual([["x"], ["1", "22", "333"], ["4444", "55555"], ["6"]]);
  });

  it("rejects only the items of a write that failed, and goes on with the next", async () => {
    const { writes, write } = manualWrites();
    const commits = new GroupCommit(write, { maxItems: 100, maxWeight: 1_000, weigh: (s) => s.length });
    const first = commits.add("a");
    await tick();
    const second = [commits.add("b"), commits.add("c")];
    const failed = new Error("storage refused the write");
    writes[0].finish(failed);
    await expect(first).rejects.toBe(failed);
    await tick();
    writes[1].finish();
    await expect(Promise.all(second)).resolves.toEqual([undefined, undefined]);
  });

  it("refuses an item heavier than one write may carry, without writing anything", async () => {
    const { writes, write } = manualWrites();
    const commits = new GroupCommit(write, { maxItems: 100, maxWeight: 4, weigh: (s) => s.length });
    await expect(commits.add("too long")).rejects.toThrow("larger than one write may carry");
    expect(writes).toEqual([]);
  });
});
