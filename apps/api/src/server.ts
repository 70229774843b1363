import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module';
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
export async function startServer(options: ServeOptions): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  setupOpenApi(app);
  await app.listen(options.port, options.host);
  const address = app.getHttpServer().address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  process.stdout.write(`venvfarm listening on ${url}\n`);
  return { app, url };
}
