import { rootLogger, runInRequest } from '@venvfarm/logging';
import { AccessLog, Completion, completionLevel } from './request-logging';

/** A destination that keeps what is written. */
function capture() {
  const lines: string[] = [];
  return { lines, write: (line: string) => void lines.push(line) };
}

describe('access line level', () => {
  it('logs requests at info, probes at debug, and failures at error wherever they are', () => {
    expect(completionLevel('/v1/mirror/status', 200)).toBe('info');
    expect(completionLevel('/v1/projects/x', 404)).toBe('info');
    expect(completionLevel('/metrics', 200)).toBe('debug');
    expect(completionLevel('/health/ready?full=1', 200)).toBe('debug');
    expect(completionLevel('/healthy', 200)).toBe('info');
    expect(completionLevel('/health/ready', 503)).toBe('error');
    expect(completionLevel('/v1/resolve', 500)).toBe('error');
  });
});

describe('AccessLog', () => {
  const completions: Completion[] = [
    { reqId: '0f8fad5b-d9cb-469f-a165-70867728950e', method: 'POST', url: '/v1/resolve', statusCode: 200, responseTime: 0.03 },
    { reqId: 'lb-01:req.42~a+b/c=@x', method: 'GET', url: '/v1/projects/caf%C3%A9?x="y"&z=\\', statusCode: 404, responseTime: 12 },
    { reqId: 'x', method: 'GET', url: '/health/ready', statusCode: 503, responseTime: 1.5 },
    { reqId: 'y', method: 'GET', url: '/é/\u2028/\u0007', statusCode: 400, responseTime: 0 },
  ];

  it('writes exactly the line pino writes for the same fields, inside a request scope or not', () => {
    const sink = capture();
    const logger = rootLogger('debug', sink);
    const access = new AccessLog(logger, sink);
    for (const c of completions) {
      const level = completionLevel(c.url, c.statusCode);
      for (const scoped of [false, true]) {
        sink.lines.length = 0;
        const log = () => logger[level]({ reqId: c.reqId, req: { method: c.method, url: c.url }, res: { statusCode: c.statusCode }, responseTime: c.responseTime }, `${c.method} ${c.url} ${c.statusCode} ${c.responseTime} ms`);
        if (scoped) runInRequest('another-request', log);
        else log();
        const fromPino = sink.lines[0];
        const time = (JSON.parse(fromPino) as { time: number }).time;
        expect(access.line(level, c, time)).toBe(fromPino);
      }
    }
  });

  it('writes a line only at an enabled level', () => {
    const sink = capture();
    const access = new AccessLog(rootLogger('info', sink), sink);
    access.write(completions[0]);
    access.write({ ...completions[0], url: '/metrics' });
    access.write({ ...completions[0], url: '/health', statusCode: 500 });
    expect(sink.lines.map((line) => JSON.parse(line) as { level: number; req: { url: string } }).map((l) => [l.level, l.req.url])).toEqual([
      [30, '/v1/resolve'],
      [50, '/health'],
    ]);
    const silent = capture();
    new AccessLog(rootLogger('silent', silent), silent).write({ ...completions[0], statusCode: 500 });
    expect(silent.lines).toEqual([]);
  });
});
