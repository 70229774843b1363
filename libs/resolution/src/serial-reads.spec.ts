import { SerialReads } from './serial-reads';

/** A read of serials the test finishes by hand, recording what each query asked for. */
function controlledReads() {
  const queries: { names: readonly string[]; finish: () => void }[] = [];
  const serials = new Map([['idna', 1], ['six', 2], ['certifi', 3]]);
  const read = (names: readonly string[]) =>
    new Promise<ReadonlyMap<string, number>>((resolve) => {
      queries.push({ names, finish: () => resolve(new Map(names.filter((n) => serials.has(n)).map((n) => [n, serials.get(n)!]))) });
    });
  return { queries, serials, read };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Lets the event loop turn until `n` queries have started (a few turns; never a clock). */
async function started(queries: readonly unknown[], n: number): Promise<void> {
  for (let i = 0; i < 10 && queries.length < n; i++) await turn();
}

describe('SerialReads', () => {
  it('answers a lone read with one query of its own', async () => {
    const { queries, read } = controlledReads();
    const reads = new SerialReads(read);
    const answer = reads.read(['idna', 'nope']);
    await started(queries, 1);
    expect(queries.map((q) => q.names)).toEqual([['idna', 'nope']]);
    queries[0].finish();
    expect(await answer).toEqual(new Map([['idna', 1]]));
  });

  it('has reads that arrive while a query runs share the next query, which starts after them', async () => {
    const { queries, serials, read } = controlledReads();
    const reads = new SerialReads(read);
    const first = reads.read(['idna']);
    await started(queries, 1);
    // Two reads arrive while the first query runs: they must not take its (older) answer.
    const second = reads.read(['idna', 'six']);
    const third = reads.read(['certifi']);
    await turn();
    expect(queries).toHaveLength(1);
    serials.set('idna', 7);
    queries[0].finish();
    expect(await first).toEqual(new Map([['idna', 7]]));
    await started(queries, 2);
    expect(queries.map((q) => [...q.names].sort())).toEqual([['idna'], ['certifi', 'idna', 'six']]);
    serials.set('six', 9);
    queries[1].finish();
    expect(await second).toEqual(new Map([['idna', 7], ['six', 9], ['certifi', 3]]));
    expect(await third).toBe(await second);
  });

  it('passes a failed query on to the reads it served, and goes on with the next', async () => {
    let fail = true;
    const reads = new SerialReads(async (names) => {
      if (fail) throw new Error('connection lost');
      return new Map(names.map((n) => [n, 1]));
    });
    await expect(reads.read(['idna'])).rejects.toThrow('connection lost');
    fail = false;
    expect(await reads.read(['idna'])).toEqual(new Map([['idna', 1]]));
  });
});
