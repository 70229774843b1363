import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { LinesPerTurn } from './log-destination';

/** A destination that keeps what is written. */
function capture() {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
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
      const batch = new LinesPerTurn({ write: (text) => require('node:fs').writeSync(1, text) });
      batch.write('held\\n');
      throw new Error('boom');`;
    const child = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', code], { encoding: 'utf8' });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('boom');
    expect(child.stdout).toBe('held\n');
  });
});
