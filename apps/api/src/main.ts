import 'reflect-metadata';
import { startServer } from './server';

void startServer({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 8080),
});

// Started by `venvfarm serve` (an IPC channel to it): the server is in a process group of its own
// (so a terminal's Ctrl-C reaches it only through serve), and stops as on SIGTERM when serve is
// gone, however it went, rather than outlive it.
if (process.send !== undefined) {
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
}
