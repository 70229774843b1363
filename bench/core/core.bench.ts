/**
 * `npm run bench:core`: throughput of the packaging core on real data, with
 * @renovatebot/pep440 as the peer where it offers the same operation. Prints figures only.
 */
import * as peer from '@renovatebot/pep440';
import { compareKeys, compareVersions, SpecifierSet, Version } from '@venvfarm/pep440';
import { loadCorpus } from './corpus';
import { bestOfMs, perSecond, row } from './measure';
import { benchSolver } from './solver.bench';

const N = 1_000_000;

async function main(): Promise<void> {
  const { versions: texts, requiresPython } = loadCorpus(N);
  process.stdout.write(`corpus: ${texts.length} real version strings, ${requiresPython.length} distinct requires-python sets\n\n`);
  row('operation', 'venvfarm', 'peer', 'ratio');

  let parsed: Version[] = [];
  const parseMs = bestOfMs(3, () => {
    parsed = texts.map((t) => Version.parse(t));
  });
  const peerParseMs = bestOfMs(3, () => {
    for (const t of texts) peer.parse(t);
  });
  row(`parse ${texts.length} versions`, perSecond(texts.length, parseMs), perSecond(texts.length, peerParseMs), `${(peerParseMs / parseMs).toFixed(1)}x`);

  let sink = 0;
  const compareMs = bestOfMs(3, () => {
    for (let i = 1; i < parsed.length; i++) sink += compareVersions(parsed[i - 1], parsed[i]);
  });
  const peerCompareMs = bestOfMs(1, () => {
    for (let i = 1; i < texts.length; i++) sink += peer.compare(texts[i - 1], texts[i]);
  });
  row(`compare ${parsed.length - 1} adjacent pairs`, perSecond(parsed.length, compareMs), perSecond(parsed.length, peerCompareMs), `${(peerCompareMs / compareMs).toFixed(1)}x`);

  const parseCompareMs = bestOfMs(3, () => {
    let prev = Version.parse(texts[0]);
    for (let i = 1; i < texts.length; i++) {
      const v = Version.parse(texts[i]);
      sink += compareVersions(prev, v);
      prev = v;
    }
  });
  row(`parse+compare ${texts.length} versions`, `${parseCompareMs.toFixed(0)} ms`, `${(peerParseMs + peerCompareMs).toFixed(0)} ms`, `${((peerParseMs + peerCompareMs) / parseCompareMs).toFixed(1)}x`);

  const sample = parsed.slice(0, 200_000);
  const sortMs = bestOfMs(3, () => {
    [...sample].sort(compareVersions);
  });
  let keys: Uint8Array[] = [];
  const keyMs = bestOfMs(1, () => {
    keys = parsed.map((v) => v.key());
  });
  row(`sortable key of ${parsed.length} versions`, perSecond(parsed.length, keyMs), '-', '-');
  const keySortMs = bestOfMs(3, () => {
    keys.slice(0, 200_000).sort(compareKeys);
  });
  row('sort 200k versions (comparator)', `${sortMs.toFixed(0)} ms`, '-', '-');
  row('sort 200k keys (bytes)', `${keySortMs.toFixed(0)} ms`, '-', '-');

  const specs = ['>=1.0,<2', '~=2.2', '!=1.5.*,>=1.0', '==1.*', '>0.3.1', '<=2.31.0'];
  const sets = specs.map((s) => SpecifierSet.parse(s));
  const matchMs = bestOfMs(3, () => {
    for (const set of sets) for (const v of parsed) sink += set.contains(v) ? 1 : 0;
  });
  let peerCrashes = 0;
  const peerMatchMs = bestOfMs(1, () => {
    for (const s of specs)
      for (const t of texts) {
        try {
          sink += peer.satisfies(t, s) ? 1 : 0;
        } catch {
          peerCrashes++; // e.g. @renovatebot/pep440 throws on `==1.*` against some versions
        }
      }
  });
  const matches = sets.length * parsed.length;
  row(`specifier match (${sets.length} sets x ${parsed.length})`, perSecond(matches, matchMs), perSecond(matches, peerMatchMs), `${(peerMatchMs / matchMs).toFixed(1)}x`);
  if (peerCrashes > 0) row(`  peer threw on ${peerCrashes} of ${matches} matches`, '', '', '');

  const py311 = Version.parse('3.11');
  let rpSets: SpecifierSet[] = [];
  const rpParseMs = bestOfMs(3, () => {
    rpSets = [];
    for (const t of requiresPython) {
      try {
        rpSets.push(SpecifierSet.parse(t));
      } catch {
        // the data keeps malformed requires-python strings; they are skipped here
      }
    }
  });
  row(`parse ${requiresPython.length} requires-python sets`, perSecond(requiresPython.length, rpParseMs), '-', '-');
  const rpMatchMs = bestOfMs(3, () => {
    for (const s of rpSets) sink += s.contains(py311) ? 1 : 0;
  });
  row('requires-python contains 3.11', perSecond(rpSets.length, rpMatchMs), '-', '-');

  await benchSolver();
  if (sink === 42) process.stdout.write('\n');
}

void main();
