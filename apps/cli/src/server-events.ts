/**
 * Server-sent events (the WHATWG `text/event-stream` format) as the build log route sends them:
 * events separated by a blank line, an `event:` line naming the event (default `message`),
 * one `data:` line per line of data. Comments (`:`) and other fields are skipped.
 */

/** One event: its name and its data lines. */
export interface ServerEvent {
  readonly event: string;
  readonly data: string[];
}

/** Parses the events of a stream of text chunks, which may split lines and events anywhere. */
export async function* serverEvents(chunks: AsyncIterable<string>): AsyncGenerator<ServerEvent> {
  let buffer = '';
  let event = 'message';
  let data: string[] = [];
  const line = function* (text: string): Generator<ServerEvent> {
    if (text === '') {
      if (data.length > 0) yield { event, data };
      event = 'message';
      data = [];
      return;
    }
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };
  for await (const chunk of chunks) {
    buffer += chunk;
    for (let end = buffer.search(/\r\n|\r|\n/); end !== -1; end = buffer.search(/\r\n|\r|\n/)) {
      // A lone \r at the end of the buffer may be the first half of \r\n: wait for more.
      if (buffer[end] === '\r' && end === buffer.length - 1) break;
      const text = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      yield* line(text);
    }
  }
  // A stream that ends without the blank line still delivers its last event.
  if (buffer !== '') yield* line(buffer);
  yield* line('');
}
