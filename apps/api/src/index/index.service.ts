import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { ArtifactStore } from '@venvfarm/artifacts';
import { FileProxy, IndexedFile, IndexRegistryRepository, OpenedFile, ProxiedFile, SimpleIndexRepository, SimpleProject, SimpleProjectEntry, UnknownIndexError } from '@venvfarm/index';
import { LazyMirror } from '@venvfarm/mirror';
import type { ProjectName } from '@venvfarm/pep508';
import { UpstreamClient } from '@venvfarm/upstream';
import { ProjectChanges } from '@venvfarm/resolution';
import { LRUCache } from 'lru-cache';
import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { Metrics } from '../observability/metrics/metrics';

/** The index the mirror of the upstream is kept in (the lazy mirror writes into it). */
export const UPSTREAM_INDEX = 'pypi';

const METADATA_SUFFIX = '.metadata';

/** A file of the index, opened. */
export interface IndexFile {
  readonly file: ProxiedFile;
  readonly opened: OpenedFile;
}

/** The package index: pages from the mirror (fetched lazily), files through the caching proxy. */
@Injectable()
export class IndexService {
  private readonly logger = new Logger('index');
  private readonly proxy: FileProxy;
  /** The counter's child, bound once: an observation with labels hashes them each time. */
  private readonly servedFromStore: { inc(): void };
  private readonly smallFiles = new LRUCache<string, Buffer>({ maxSize: SMALL_FILES_BYTES, sizeCalculation: (bytes) => bytes.length + 100 });
  private readonly listed = new LRUCache<string, { file: IndexedFile | null; generation: number }>({ max: LISTED_FILES });

  constructor(
    private readonly pages: SimpleIndexRepository,
    private readonly registry: IndexRegistryRepository,
    private readonly lazyMirror: LazyMirror,
    private readonly store: ArtifactStore,
    upstream: UpstreamClient,
    private readonly metrics: Metrics,
    private readonly changes: ProjectChanges,
  ) {
    this.servedFromStore = metrics.indexFiles.labels({ source: 'store' });
    this.proxy = new FileProxy(store, (url) => upstream.downloadFile(url), {
      onMismatch: (file, error) => {
        this.metrics.indexHashMismatches.inc();
        this.logger.error(`not stored, not served: ${error.message}`);
      },
      onStored: () => this.metrics.indexFiles.inc({ source: 'upstream' }),
    });
  }

  /**
   * The page of a project in index `indexName`: of the first index of its layering that has the
   * project, so a private project hides the upstream's of the same name; one the mirror of the
   * upstream never saw is fetched from the upstream first: its files only, so that the page of a
   * project of thousands of files costs about what the upstream's page does (their metadata is
   * fetched after, for the resolver; pip reads what it needs through {@link openFile}).
   * @throws UnknownIndexError, NotFoundException; UpstreamError when the upstream is needed and cannot answer.
   */
  async projectPage(indexName: string, name: ProjectName): Promise<SimpleProject> {
    for (const index of await this.layering(indexName)) {
      const page = await this.pages.projectPage(index, name);
      if (page !== null) return page;
      if (index === UPSTREAM_INDEX && (await this.lazyMirror.ensure(name, 'listed')) !== 'missing') {
        const fetched = await this.pages.projectPage(index, name);
        if (fetched !== null) return fetched;
      }
    }
    throw new NotFoundException(`no project named '${name}' in index ${indexName}${this.lazyMirror.offline ? '' : ' or the upstream behind it'}`);
  }

  /** Every project of index `indexName` and of the indexes behind it (the first one's serial where several have a name). */
  async projects(indexName: string): Promise<{ projects: SimpleProjectEntry[]; serial: number }> {
    const byName = new Map<string, SimpleProjectEntry>();
    let serial = 0;
    for (const index of await this.layering(indexName)) {
      const listed = await this.pages.projects(index);
      for (const project of listed.projects) if (!byName.has(project.name)) byName.set(project.name, project);
      serial = Math.max(serial, listed.serial);
    }
    return { projects: [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)), serial };
  }

  /**
   * The bytes of a stored blob of `size` bytes, or of an inclusive range of them: from memory for
   * small files (read once), else streamed from the store.
   */
  async readStored(sha256: string, size: number, range?: { start: number; end: number }): Promise<Readable | Buffer> {
    if (size > SMALL_FILE) return this.store.read(sha256, range);
    let bytes = this.smallFiles.get(sha256);
    if (bytes === undefined) {
      bytes = await buffer(await this.store.read(sha256));
      this.smallFiles.set(sha256, bytes);
    }
    return range === undefined ? bytes : bytes.subarray(range.start, range.end + 1);
  }

  /**
   * A small stored file (or a wheel's metadata file) held in memory, when its row is known in
   * this generation of project changes: what the lane in front of Fastify answers, synchronously.
   */
  keptSmallFile(sha256: string, filename: string): { bytes: Buffer; sha256: string } | undefined {
    const metadata = filename.endsWith(METADATA_SUFFIX);
    const kept = this.listed.get(`${sha256}/${metadata ? filename.slice(0, -METADATA_SUFFIX.length) : filename}`);
    const generation = this.changes.current();
    if (kept === undefined || kept.file === null || generation === null || kept.generation !== generation) return undefined;
    const served = metadata ? kept.file.metadataSha256 : sha256;
    const bytes = served === null ? undefined : this.smallFiles.get(served);
    if (served === null || bytes === undefined) return undefined;
    this.servedFromStore.inc();
    return { bytes, sha256: served };
  }

  /** The file the mirror lists under this hash and name (from memory while no project changed). */
  private async listedFile(sha256: string, filename: string): Promise<IndexedFile | null> {
    const key = `${sha256}/${filename}`;
    const generation = this.changes.current();
    const kept = this.listed.get(key);
    if (kept !== undefined && generation !== null && kept.generation === generation) return kept.file;
    const file = await this.pages.file(sha256, filename);
    if (generation !== null) this.listed.set(key, { file, generation });
    return file;
  }

  /** @throws UnknownIndexError */
  private async layering(indexName: string): Promise<readonly string[]> {
    if (indexName === UPSTREAM_INDEX) return [UPSTREAM_INDEX];
    const layering = await this.registry.layering(indexName);
    if (layering.length === 0) throw new UnknownIndexError(indexName);
    return layering;
  }

  /**
   * A file the index lists, or its PEP 658 metadata (`<filename>.metadata`), from the store or
   * the upstream (`stream`: the first download streams to this client as it is stored).
   * @throws NotFoundException when no file of that hash and name is listed (or it has no metadata);
   * UpstreamError (503); HashMismatchError (the upstream's bytes are wrong: nothing stored).
   */
  async openFile(sha256: string, filename: string, stream: boolean): Promise<IndexFile> {
    const metadata = filename.endsWith(METADATA_SUFFIX);
    const listed = await this.listedFile(sha256, metadata ? filename.slice(0, -METADATA_SUFFIX.length) : filename);
    if (listed === null) throw new NotFoundException(`no file ${filename} with sha256 ${sha256} in the index`);
    let file: ProxiedFile;
    if (!metadata) {
      file = { sha256, filename, url: listed.url, size: listed.size };
    } else {
      if (listed.metadataSha256 === null) throw new NotFoundException(`the index serves no core metadata for ${listed.filename}`);
      file = { sha256: listed.metadataSha256, filename, url: listed.url === null ? null : metadataUrl(listed.url), size: null };
    }
    const opened = await this.proxy.open(file, { stream });
    if (opened.kind === 'stored') this.servedFromStore.inc();
    return { file, opened };
  }
}

/** Stored files this small are kept in memory once read: blobs never change, and most metadata files and pure-Python wheels are this small. */
const SMALL_FILE = 256 * 1024;
/** Bytes of small files kept. */
const SMALL_FILES_BYTES = 64 * 2 ** 20;

/** Rows of files looked up, kept while no project changes (see rendered-pages.ts). */
const LISTED_FILES = 100_000;

/** PEP 658: the metadata file is at the distribution's URL with `.metadata` appended to the path. */
function metadataUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname += METADATA_SUFFIX;
  return parsed.toString();
}
