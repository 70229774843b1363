import { ServerEvent, serverEvents } from './server-events';

async function parse(chunks: string[]): Promise<ServerEvent[]> {
  const events: ServerEvent[] = [];
  for await (const event of serverEvents((async function* () { yield* chunks; })())) events.push(event);
  return events;
}

describe('serverEvents', () => {
  it.each([
    ['whole events', ['event: log\ndata: one\ndata: two\n\nevent: end\ndata: done\n\n']],
    ['chunks that split lines and events', ['ev', 'ent: log\nda', 'ta: one\r', '\ndata: two\n', '\n', 'event: end\ndata: done']],
    ['CR line ends and comments', [': keep-alive\revent: log\rdata: one\rdata: two\r\revent: end\rdata: done\r\r']],
  ])('parses %s', async (_name, chunks) => {
    expect(await parse(chunks)).toEqual([
      { event: 'log', data: ['one', 'two'] },
      { event: 'end', data: ['done'] },
    ]);
  });

  it('names an unnamed event "message", keeps a colon in the data, and skips events without data', async () => {
    expect(await parse(['data: a: b\n\nevent: empty\n\n'])).toEqual([{ event: 'message', data: ['a: b'] }]);
  });
});
