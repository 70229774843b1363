import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppLogger } from '@venvfarm/logging';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
import { configureEdge, FASTIFY_EDGE_OPTIONS } from './common/edge';
import { setupOpenApi } from './openapi';

/** Where to listen; port 0 picks a free port. */
export interface ServeOptions {
  host: string;
  port: number;
}

/**
 * Starts the HTTP API and prints the one line callers wait for:
 * `venvfarm listening on http://HOST:PORT` (the contract in ARCHITECTURE.md).
 */
export async function startServer(options: ServeOptions): Promise<{ app: NestFastifyApplication; url: string }> {
  // Fastify: NestJS's faster platform (issue 8 measured Express as the bottleneck of a cache hit).
  // Nest's own lines wait for the app logger (pino: JSON lines, readable on a terminal).
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(FASTIFY_EDGE_OPTIONS), { bufferLogs: true });
  app.useLogger(app.get(AppLogger));
  app.enableShutdownHooks();
  configureEdge(app);
  setupOpenApi(app);
  await app.listen(options.port, options.host);
  const address = app.getHttpServer().address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  process.stdout.write(`venvfarm listening on ${url}\n`);
  // On stderr: stdout's one line is what scripts wait for.
  process.stderr.write(howToUse(url));
  return { app, url };
}

/** How pip, uv and venvfarm's CLI find this server. */
export function howToUse(url: string): string {
  return [
    `  pip:      pip install --index-url ${url}/simple <package>    (or: pip config set global.index-url ${url}/simple)`,
    `  uv:       uv pip install --index-url ${url}/simple <package>  (or: export UV_INDEX_URL=${url}/simple)`,
    `  venvfarm: export VENVFARM_SERVER=${url}; venvfarm resolve -r requirements.txt; venvfarm ci restore -r requirements.txt --into .venv`,
    `  private:  venvfarm index create NAME; venvfarm token create --index NAME; twine upload --repository-url ${url}/NAME/ -u __token__ -p <token> dist/*`,
    '',
  ].join('\n');
}
