/**
 * The team deployment (docker/compose.yml, docker/Dockerfile; docs/deploy.md) checked without
 * running it: the compose tool validates and interpolates the file (`config` reads files and the
 * environment only), then the properties the deployment relies on are asserted on its output.
 * Nothing is pulled, built or started: DOCKER_HOST names no engine.
 *
 * The tool is Docker's compose plugin (`docker compose`) where it is installed, else
 * `docker-compose` (Debian's package; .ci/run installs it). Their outputs differ in form (short
 * or long syntax of ports and volumes), which the helpers below read alike.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

const ROOT = resolve(__dirname, '..');
const COMPOSE_FILE = join(ROOT, 'docker', 'compose.yml');
const DOCKERFILE = join(ROOT, 'docker', 'Dockerfile');
const TOKEN = 'compose-test-token-0123456789';
const SOCKET = '/var/run/docker.sock';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[] | string;
  environment?: Record<string, string | null>;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
  ports?: (string | { host_ip?: string; published?: string | number; target: number })[];
  volumes?: (string | { type: string; source?: string; target: string })[];
}
interface ComposeConfig {
  services: Record<string, Service>;
  volumes?: Record<string, { name?: string } | null>;
}

/** The compose tool's command words, or null when none is installed. */
function composeTool(): string[] | null {
  const answers = (words: string[]) => spawnSync(words[0], [...words.slice(1), 'version'], { stdio: 'ignore', env: { PATH: process.env.PATH, HOME: process.env.HOME } }).status === 0;
  if (answers(['docker', 'compose'])) return ['docker', 'compose'];
  if (answers(['docker-compose'])) return ['docker-compose'];
  return null;
}

/** A volume entry as source and target, whichever syntax the tool printed. */
function mount(entry: string | { source?: string; target: string }): { source: string; target: string } {
  if (typeof entry !== 'string') return { source: entry.source ?? '', target: entry.target };
  const [source, target] = entry.split(':');
  return { source, target };
}

/** The host address a published port is bound to; '' when it is every interface. */
function hostAddress(port: string | { host_ip?: string }): string {
  if (typeof port !== 'string') return port.host_ip ?? '';
  const parts = port.split(':');
  return parts.length === 3 ? parts[0] : '';
}

describe('docker/compose.yml', () => {
  const tool = composeTool();
  let scratch: string;
  let envFile: string;
  let config: ComposeConfig;

  /** Runs the compose tool on docker/compose.yml with exactly `vars` as the environment. */
  const compose = (args: string[], vars: Record<string, string>) => {
    if (tool === null) throw new Error('no compose tool: install Docker\'s compose plugin or Debian\'s docker-compose (apt-get install docker-compose; .ci/run does)');
    // An empty env file: a docker/.env left on this machine must not supply what is tested as missing.
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, DOCKER_HOST: `unix://${join(scratch, 'no-engine.sock')}`, ...vars };
    return spawnSync(tool[0], [...tool.slice(1), '--env-file', envFile, '-f', COMPOSE_FILE, ...args], { encoding: 'utf8', env, timeout: 20_000 });
  };
  const required = { VENVFARM_ADMIN_TOKEN: TOKEN, DOCKER_GID: '999' };

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'venvfarm-compose-'));
    envFile = join(scratch, 'empty.env');
    writeFileSync(envFile, '');
    const result = compose(['config'], required);
    if (result.status !== 0) throw new Error(`compose config failed: ${result.stderr}`);
    config = parse(result.stdout) as ComposeConfig;
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('is a valid compose file once VENVFARM_ADMIN_TOKEN and DOCKER_GID are set', () => {
    const result = compose(['config', '--quiet'], required);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each(Object.keys(required))('refuses to run without %s, naming it', (name) => {
    const result = compose(['config', '--quiet'], Object.fromEntries(Object.entries(required).filter(([key]) => key !== name)));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`set ${name}`);
  });

  it('has the four services, each with a health check', () => {
    expect(Object.keys(config.services).sort()).toEqual(['api', 'postgres', 'redis', 'worker']);
    const unchecked = Object.entries(config.services).filter(([, s]) => s.healthcheck?.disable === true || (s.healthcheck?.test?.length ?? 0) === 0);
    expect(unchecked.map(([name]) => name)).toEqual([]);
  });

  it('starts the api and the workers once PostgreSQL and Redis are healthy', () => {
    for (const name of ['api', 'worker']) {
      expect(config.services[name].depends_on?.postgres?.condition).toBe('service_healthy');
      expect(config.services[name].depends_on?.redis?.condition).toBe('service_healthy');
    }
  });

  it('publishes the api on 127.0.0.1 only, and nothing else', () => {
    const { api, ...others } = config.services;
    expect(api.ports?.length).toBeGreaterThan(0);
    for (const port of api.ports ?? []) expect(hostAddress(port)).toBe('127.0.0.1');
    for (const service of Object.values(others)) expect(service.ports ?? []).toEqual([]);
  });

  it('builds one image from docker/Dockerfile for the api and the workers', () => {
    const { api, worker } = config.services;
    expect(worker.image).toBe(api.image);
    for (const service of [api, worker]) expect(resolve(service.build!.context, service.build!.dockerfile)).toBe(DOCKERFILE);
  });

  it('leaves the jobs to the workers and gives the api its admin token from the environment', () => {
    const { api, worker } = config.services;
    expect(api.environment?.VENVFARM_JOBS).toBe('off');
    expect(api.environment?.VENVFARM_ADMIN_TOKEN).toBe(TOKEN);
    expect(worker.environment?.VENVFARM_JOBS).toBeUndefined();
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'VENVFARM_STORE', 'VENVFARM_EXECUTOR']) expect(worker.environment?.[name]).toBe(api.environment?.[name]);
    expect(api.environment?.VENVFARM_EXECUTOR).toBe('docker');
  });

  it('gives the api and the workers the Docker socket and one store on a named volume', () => {
    const { api, worker } = config.services;
    for (const service of [api, worker]) {
      const mounts = (service.volumes ?? []).map(mount);
      expect(mounts).toContainEqual({ source: SOCKET, target: SOCKET });
      expect(mounts).toContainEqual({ source: 'store', target: service.environment?.VENVFARM_STORE });
    }
    expect(config.volumes).toHaveProperty('store');
    expect(config.volumes).toHaveProperty('pgdata');
    expect(config.services.postgres.volumes?.map(mount)).toContainEqual({ source: 'pgdata', target: '/var/lib/postgresql/data' });
  });

  it('mounts the build directories at their host path, as build containers of the host engine need', () => {
    const mounts = (config.services.worker.volumes ?? []).map(mount);
    const builds = mounts.filter((m) => m.target.endsWith('/builds'));
    expect(builds).toHaveLength(1);
    expect(builds[0].source).toBe(builds[0].target);
    expect(String(config.services.worker.command)).toContain(`VENVFARM_BUILD_DIR=${builds[0].target}/`);
  });
});

describe('docker/Dockerfile', () => {
  const instructions = readFileSync(DOCKERFILE, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => /^[A-Z]+\s/.test(line));
  const runtime = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')));

  it('copies only what exists in the repository', () => {
    const sources = instructions.filter((line) => line.startsWith('COPY ') && !line.includes('--from=')).flatMap((line) => line.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
  });

  it('puts sql/ beside dist/ in the final image, where the code looks for it', () => {
    expect(runtime).toContain('COPY sql sql');
    expect(runtime.some((line) => /^COPY --from=build \/app\/dist dist$/.test(line))).toBe(true);
  });

  it('runs the api as a non-root user, with a liveness check', () => {
    const user = runtime.filter((line) => line.startsWith('USER ')).pop();
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    expect(runtime.find((line) => line.startsWith('HEALTHCHECK '))).toContain('/health/live');
    expect(runtime.at(-1)).toBe('CMD ["node", "dist/apps/api/main.js"]');
  });
});
