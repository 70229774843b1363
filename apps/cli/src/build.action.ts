/** What `venvfarm build` runs: request, follow, download. */
import { BuildClient, buildRequestBody } from './build-client';
import type { BuildCommandOptions } from './build.command';
import { buildDisplay } from './build-display';

export async function build(options: BuildCommandOptions): Promise<void> {
  const display = buildDisplay();
  try {
    const client = new BuildClient(options.server, display);
    const requested = await client.requestBuild(buildRequestBody(options));
    const done = requested.status === 'done' ? requested : await client.follow(requested);
    if (requested.status === 'done') display.finish(`build ${done.id} done (already built)`);
    const file = await client.downloadTarball(done.download, options.output ?? `${done.key}.tar.gz`);
    display.stop();
    process.stdout.write(`${done.key} ${file.path}\n`);
  } catch (error) {
    display.stop();
    throw error;
  }
}
