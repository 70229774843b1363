import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A row of `resolve_cache` (sql/migrations/0004_resolve_cache.sql): one cached resolution. */
@Entity('resolve_cache')
export class ResolveCacheRow {
  /** sha256 of the canonical request. */
  @PrimaryColumn('text') key!: string;
  /** The answer and the touched projects' serials, as JSON. */
  @Column('jsonb') entry!: unknown;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
