import { Injectable, Logger, NotFoundException } from '@nestjs/common';
import { ArtifactStore } from '@venvfarm/artifacts';
import { FileProxy, OpenedFile, ProxiedFile, SimpleIndexRepository, SimpleProject, SimpleProjectEntry } from '@venvfarm/index';
import { LazyMirror } from '@venvfarm/mirror';
import type { ProjectName } from '@venvfarm/pep508';
import { UpstreamClient } from '@venvfarm/upstream';
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

  constructor(
    private readonly pages: SimpleIndexRepository,
    private readonly lazyMirror: LazyMirror,
    readonly store: ArtifactStore,
    upstream: UpstreamClient,
    private readonly metrics: Metrics,
  ) {
    this.proxy = new FileProxy(store, (url) => upstream.downloadFile(url), {
      onMismatch: (file, error) => {
        this.metrics.indexHashMismatches.inc();
        this.logger.error(`not stored, not served: ${error.message}`);
      },
      onStored: () => this.metrics.indexFiles.inc({ source: 'upstream' }),
    });
  }

  /**
   * The page of a project; one the mirror never saw is fetched from the upstream first.
   * @throws NotFoundException; UpstreamError when the upstream is needed and cannot answer.
   */
  async projectPage(name: ProjectName): Promise<SimpleProject> {
    const page = (await this.pages.projectPage(UPSTREAM_INDEX, name)) ?? ((await this.lazyMirror.ensure(name)) === 'missing' ? null : await this.pages.projectPage(UPSTREAM_INDEX, name));
    if (page === null) throw new NotFoundException(`no project named '${name}' in the mirror${this.lazyMirror.offline ? '' : ' or upstream'}`);
    return page;
  }

  /** Every project the mirror has. */
  projects(): Promise<{ projects: SimpleProjectEntry[]; serial: number }> {
    return this.pages.projects(UPSTREAM_INDEX);
  }

  /**
   * A file the index lists, or its PEP 658 metadata (`<filename>.metadata`), from the store or
   * the upstream (`stream`: the first download streams to this client as it is stored).
   * @throws NotFoundException when no file of that hash and name is listed (or it has no metadata);
   * UpstreamError (503); HashMismatchError (the upstream's bytes are wrong: nothing stored).
   */
  async openFile(sha256: string, filename: string, stream: boolean): Promise<IndexFile> {
    const metadata = filename.endsWith(METADATA_SUFFIX);
    const listed = await this.pages.file(sha256, metadata ? filename.slice(0, -METADATA_SUFFIX.length) : filename);
    if (listed === null) throw new NotFoundException(`no file ${filename} with sha256 ${sha256} in the index`);
    let file: ProxiedFile;
    if (!metadata) {
      file = { sha256, filename, url: listed.url, size: listed.size };
    } else {
      if (listed.metadataSha256 === null) throw new NotFoundException(`the index serves no core metadata for ${listed.filename}`);
      file = { sha256: listed.metadataSha256, filename, url: listed.url === null ? null : metadataUrl(listed.url), size: null };
    }
    const opened = await this.proxy.open(file, { stream });
    if (opened.kind === 'stored') this.metrics.indexFiles.inc({ source: 'store' });
    return { file, opened };
  }
}

/** PEP 658: the metadata file is at the distribution's URL with `.metadata` appended to the path. */
function metadataUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname += METADATA_SUFFIX;
  return parsed.toString();
}
