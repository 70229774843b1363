import { ProgressReporter } from './progress-reporter';

const rethrow = (error: Error) => {
  throw error;
};

describe('ProgressReporter', () => {
  it('coalesces a burst of reports and writes the last one by the time it is flushed', async () => {
    const written: unknown[] = [];
    const reporter = new ProgressReporter(async (p) => void written.push(p), rethrow, 60_000);
    for (let done = 1; done <= 100; done++) reporter.report({ done });
    await new Promise((r) => setTimeout(r, 20));
    expect(written).toEqual([{ done: 100 }]);
    for (let done = 101; done <= 200; done++) reporter.report({ done });
    expect(written).toHaveLength(1); // the interval has not passed: nothing more yet
    await reporter.flush();
    expect(written).toEqual([{ done: 100 }, { done: 200 }]);
    await reporter.flush();
    expect(written).toHaveLength(2);
  });

  it('drops a pending report when cancelled, and reports a failed write instead of throwing', async () => {
    const errors: string[] = [];
    const reporter = new ProgressReporter(() => Promise.reject(new Error('connection lost')), (e) => errors.push(e.message), 60_000);
    reporter.report({ done: 1 });
    await reporter.flush();
    expect(errors).toEqual(['connection lost']);
    reporter.report({ done: 2 });
    reporter.report({ done: 3 });
    reporter.cancel();
    await reporter.flush();
    expect(errors).toEqual(['connection lost']);
  });
});
