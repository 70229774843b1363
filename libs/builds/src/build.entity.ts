import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PlannedPin } from './build-plan';

/** Where a build is. */
export type BuildStatus = 'queued' | 'building' | 'done' | 'failed';

/** Milliseconds per phase of a build. */
export type BuildTimings = Partial<Record<'resolve' | 'stage' | 'wheels' | 'container' | 'install' | 'pack' | 'store' | 'total', number>>;

const bigintAsNumber = { to: (value: number | null) => value, from: (value: string | null) => (value === null ? null : Number(value)) };

/** A row of `builds` (sql/migrations/0007_builds.sql, 0008_build_jobs.sql): one requested build. */
@Entity('builds')
export class BuildRow {
  /** An identity column: rows are inserted by build.repository.ts's SQL, which leaves it to PostgreSQL. */
  @PrimaryColumn('bigint', { transformer: bigintAsNumber }) id!: number;
  /** The build key (build-key.ts): the tarball's name in the store. */
  @Column('text') key!: string;
  @Column('text') status!: BuildStatus;
  @Column('text') python!: string;
  @Column('text') platform!: string;
  @Column('jsonb') pins!: PlannedPin[];
  @Column('text', { name: 'requested_by' }) requestedBy!: string;
  @Column('timestamptz', { name: 'requested_at' }) requestedAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @Column('jsonb') timings!: BuildTimings;
  @Column('bigint', { name: 'size_bytes', nullable: true, transformer: bigintAsNumber }) sizeBytes!: number | null;
  @Column('text', { name: 'tarball_sha256', nullable: true }) tarballSha256!: string | null;
  @Column('text', { name: 'builder_digest' }) builderDigest!: string;
  @Column('text') executor!: string;
  @Column('text', { nullable: true }) error!: string | null;
  /** The id of its job on the `builds` queue, once queued (0008_build_jobs.sql). */
  @Column('text', { name: 'job_id', nullable: true }) jobId!: string | null;
  @Column('text', { nullable: true, select: false }) log!: string | null;
}
