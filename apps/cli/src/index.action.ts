/** The actions of `venvfarm index` and `venvfarm token` (see index.command.ts). */
import { callServer } from './build-client';

interface IndexView {
  name: string;
  kind: string;
  upstream: string | null;
  projects: number;
}

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

export async function createIndex(name: string, options: { upstream: boolean; server: string }): Promise<void> {
  const index = (await callServer(options.server, '/v1/indexes', 'admin', json({ name, upstream: options.upstream }))) as IndexView;
  const base = options.server.replace(/\/$/, '');
  process.stdout.write(`created index ${index.name}${index.upstream === null ? '' : ` (in front of ${index.upstream})`}\n`);
  process.stderr.write(`  pip install -i ${base}/${index.name}/simple ...\n  twine upload --repository-url ${base}/${index.name}/ -u __token__ -p <token> dist/*   (venvfarm token create --index ${index.name})\n`);
}

export async function listIndexes(options: { server: string }): Promise<void> {
  for (const index of (await callServer(options.server, '/v1/indexes', 'read')) as IndexView[]) {
    process.stdout.write(`${index.name}\t${index.kind}\t${index.upstream ?? '-'}\t${index.projects} projects\n`);
  }
}

export async function createToken(options: { index: string; description: string; server: string }): Promise<void> {
  const made = (await callServer(options.server, `/v1/indexes/${encodeURIComponent(options.index)}/tokens`, 'admin', json({ description: options.description }))) as { id: number; token: string };
  process.stdout.write(`${made.token}\n`);
  process.stderr.write(`token ${made.id} of index ${options.index}: shown once, keep it in a secret store; twine: -u __token__ -p <token>\n`);
}

export async function revokeToken(id: string, options: { index: string; server: string }): Promise<void> {
  await callServer(options.server, `/v1/indexes/${encodeURIComponent(options.index)}/tokens/${encodeURIComponent(id)}`, 'admin', { method: 'DELETE' });
  process.stdout.write(`revoked token ${id} of index ${options.index}\n`);
}
