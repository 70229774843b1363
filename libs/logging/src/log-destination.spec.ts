import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { LinesPerTurn } from './log-destination';

/** A destination that keeps what is written. */
function capture() {
  const lines: string[] = [];
  return { lines, write: (bytes: Buffer) => void lines.push(bytes.toString()) };
}

describe('LinesPerTurn', () => {
  it('writes the lines of a turn of the event loop together when it ends', async () => {
    const target = capture();
    const batch = new LinesPerTurn(target);
    batch.write('a\n');
    batch.write('b\n');
    expect(target.lines).toEqual([]);
    await new Promise((done) => setImmediate(done));
    expect(target.lines).toEqual(['a\nb\n']);
    batch.write('c\n');
    await new Promise((done) => setImmediate(done));
    expect(target.lines).toEqual(['a\nb\n', 'c\n']);
  });

  it('writes what it holds before it would overflow, and a line longer than it holds on its own', async () => {
    const target = capture();
    const batch = new LinesPerTurn(target);
    const long = `${'x'.repeat(20_000)}\n`;
    batch.write(long);
    // 20,000 units may take 60,000 bytes: more than is left, so the first goes out before it is added.
    batch.write(long);
    expect(target.lines).toEqual([long]);
    const huge = `${'é'.repeat(40_000)}\n`;
    batch.write(huge);
    expect(target.lines).toEqual([long, long, huge]);
    batch.write('ü\n');
    await new Promise((done) => setImmediate(done));
    expect(target.lines).toEqual([long, long, huge, 'ü\n']);
  });

  it('writes what it holds when flushed, and nothing twice', async () => {
    const target = capture();
    const batch = new LinesPerTurn(target);
    batch.write('a\n');
    batch.flush();
    expect(target.lines).toEqual(['a\n']);
    await new Promise((done) => setImmediate(done));
    batch.flush();
    expect(target.lines).toEqual(['a\n']);
  });

  it('writes what it holds when the process dies of an uncaught exception', () => {
    const code = `
      const { LinesPerTurn } = require(${JSON.stringify(join(__dirname, 'log-destination.ts'))});
      const batch = new LinesPerTurn({ write: (bytes) => require('node:fs').writeSync(1, bytes) });
      batch.write('held\\n');
      throw new Error('boom');`;
    const child = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', code], { encoding: 'utf8' });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('boom');
    expect(child.stdout).toBe('held\n');
  });
});
