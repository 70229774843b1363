/**
 * The simple pages as bytes, rendered once and kept until the mirror changes: a page is a pure
 * function of the mirror's rows, which change only with a project's serial, and every statement
 * that changes a project notifies (sql/migrations/0006, ProjectChanges). A page rendered in one
 * generation of changes is served while the generation holds; while changes cannot be heard,
 * nothing is kept. Rendering a large project (thousands of files) costs tens of milliseconds;
 * sending kept bytes, microseconds.
 */
import { Injectable } from '@nestjs/common';
import { contentTypeOf, filePath, projectHtml, projectJson, rootHtml, rootJson, SIMPLE_V1_JSON, SimpleFileRow, SimpleMediaType } from '@venvfarm/index';
import type { ProjectName } from '@venvfarm/pep508';
import { ProjectChanges } from '@venvfarm/resolution';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { IndexService, UPSTREAM_INDEX } from './index.service';

/** A page ready to send. */
export interface RenderedPage {
  readonly body: Buffer;
  readonly etag: string;
  readonly serial: number;
  readonly contentType: string;
}

/** Project pages change with the mirror: CDNs and installers may keep them this long, as PyPI's are. */
export const PAGE_CACHE_CONTROL = 'public, max-age=600';

/** Bytes of pages kept: the largest projects' pages are a few MB each. */
const KEPT_BYTES = 128 * 2 ** 20;

/** Files are linked relative to the page, so the index works behind any path prefix: `/simple/p/` is two folders below the root, `/{index}/simple/p/` three. */
const hrefs = (up: number) => (file: SimpleFileRow) => `${'../'.repeat(up)}files/${filePath(file.sha256, file.filename)}`;
const FROM_UPSTREAM_PAGE = hrefs(2);
const FROM_PRIVATE_PAGE = hrefs(3);

@Injectable()
export class RenderedPages {
  private readonly kept = new LRUCache<string, RenderedPage & { readonly generation: number }>({ maxSize: KEPT_BYTES, sizeCalculation: (page) => page.body.length + 200 });

  constructor(
    private readonly index: IndexService,
    private readonly changes: ProjectChanges,
  ) {}

  /** The page of project `name` of index `indexName` as `type`. @throws as IndexService.projectPage */
  project(indexName: string, name: ProjectName, type: SimpleMediaType): Promise<RenderedPage> {
    return this.rendered(`p\0${indexName}\0${name}\0${type}`, type, async () => {
      const page = await this.index.projectPage(indexName, name);
      const href = indexName === UPSTREAM_INDEX ? FROM_UPSTREAM_PAGE : FROM_PRIVATE_PAGE;
      return { text: type === SIMPLE_V1_JSON ? projectJson(page, href) : projectHtml(page, href), serial: page.serial };
    });
  }

  /** The root page of index `indexName` as `type`. */
  root(indexName: string, type: SimpleMediaType): Promise<RenderedPage> {
    return this.rendered(`r\0${indexName}\0${type}`, type, async () => {
      const { projects, serial } = await this.index.projects(indexName);
      return { text: type === SIMPLE_V1_JSON ? rootJson(projects, serial) : rootHtml(projects), serial };
    });
  }

  /** A kept project page that is current, or undefined (synchronous: the lane in front of Fastify asks). */
  keptProject(indexName: string, name: string, type: SimpleMediaType): RenderedPage | undefined {
    const kept = this.kept.get(`p\0${indexName}\0${name}\0${type}`);
    const generation = this.changes.current();
    return kept !== undefined && generation !== null && kept.generation === generation ? kept : undefined;
  }

  private async rendered(key: string, type: SimpleMediaType, render: () => Promise<{ text: string; serial: number }>): Promise<RenderedPage> {
    // Taken before the rows are read: a change that lands meanwhile starts another generation.
    const generation = this.changes.current();
    const kept = this.kept.get(key);
    if (kept !== undefined && generation !== null && kept.generation === generation) return kept;
    const { text, serial } = await render();
    const body = Buffer.from(text, 'utf8');
    const page = { body, etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`, serial, contentType: contentTypeOf(type) };
    if (generation !== null) this.kept.set(key, { ...page, generation });
    else this.kept.delete(key);
    return page;
  }
}
