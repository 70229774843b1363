/**
 * Where log lines go. On a terminal they are made readable (pino-pretty, in this thread: no
 * worker thread, nothing lost at exit); anywhere else (a pipe, a file, a container's log) they
 * are JSON lines, one per entry, written synchronously at the end of each turn of the event loop
 * (see {@link LinesPerTurn}).
 */
import pino from 'pino';
import pretty from 'pino-pretty';

/**
 * The NestJS injection token of the log destination: pino writes each entry with one `write`
 * call. The default is stdout; tests give their own to read the lines.
 */
export abstract class LogDestination {
  abstract write(line: string): void;
  /** Writes out what is held back, if anything is (called when the app shuts down). */
  flush?(): void;
}

/** Batches with lines waiting, written out by the process's exit handler. */
const waiting = new Set<LinesPerTurn>();
let exitHandlerInstalled = false;

/** Bytes a batch holds before it writes them out without waiting for the end of the turn. */
const BATCH_BYTES = 64 * 1024;

/**
 * Lines written together once per turn of the event loop (in a `setImmediate`), in one
 * synchronous write to `target`: under load a turn answers several requests, and an access line
 * per request cost a write system call each (issue 8: ~4 us of a ~40 us cache hit on this
 * machine). The lines are encoded into one reused buffer as they come, not joined as strings
 * and encoded at the write (joining, flattening and encoding cost ~0.7 us a line; this ~0.1 us),
 * and the target is given a copy of the turn's bytes (it may hold them while it retries a full
 * pipe). The lines of a turn are written when it ends, when they fill the buffer, at exit (also
 * after an uncaught exception: Node runs exit handlers then) and when the app shuts down; only a
 * process killed outright (SIGKILL, a crash of the runtime) can lose the lines of its last turn.
 */
export class LinesPerTurn extends LogDestination {
  private readonly held = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;

  constructor(private readonly target: { write(bytes: Buffer): unknown }) {
    super();
    if (!exitHandlerInstalled) {
      exitHandlerInstalled = true;
      process.once('exit', () => {
        for (const batch of waiting) batch.flush();
      });
    }
  }

  write(line: string): void {
    // At most 3 bytes of UTF-8 per UTF-16 unit: the line fits when this says so.
    if (this.used + line.length * 3 > BATCH_BYTES) {
      this.flush();
      if (line.length * 3 > BATCH_BYTES) {
        this.target.write(Buffer.from(line));
        return;
      }
    }
    if (this.used === 0) {
      waiting.add(this);
      setImmediate(() => this.flush());
    }
    this.used += this.held.write(line, this.used);
  }

  override flush(): void {
    if (this.used === 0) return;
    const bytes = Buffer.from(this.held.subarray(0, this.used));
    this.used = 0;
    waiting.delete(this);
    this.target.write(bytes);
  }
}

/** Readable lines on a terminal, JSON lines otherwise. */
export function defaultLogDestination(stdout: { isTTY?: boolean } = process.stdout): LogDestination {
  if (stdout.isTTY) {
    // One line per entry; the access line's message already says method, URL, status and time.
    return pretty({
      destination: 1,
      sync: true,
      colorize: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      messageFormat: '{if context}[{context}] {end}{msg}',
      ignore: 'pid,hostname,context,req,res,responseTime',
    });
  }
  // sonic-boom in synchronous mode, given bytes: it retries partial writes and a full pipe (EAGAIN).
  // Its types know only its default content mode (strings); in 'buffer' mode it writes Buffers.
  const stdoutBytes = pino.destination({ dest: 1, sync: true, contentMode: 'buffer' }) as unknown as { write(bytes: Buffer): unknown };
  return new LinesPerTurn(stdoutBytes);
}
