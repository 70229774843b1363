/**
 * TypeORM entities mirroring sql/migrations (which stay the source of truth: synchronize is
 * never used). They serve code that wants ordinary entity access; hot paths run the .sql
 * files in sql/queries. entities.spec.ts checks every column against the migrated schema.
 */
import { Column, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn } from 'typeorm';

@Entity('indexes')
export class IndexEntity {
  @PrimaryGeneratedColumn({ type: 'smallint' }) id!: number;
  @Column('text') name!: string;
  @Column('text') kind!: 'upstream' | 'private';
  @Column('text', { nullable: true }) url!: string | null;
  @Column('bigint') serial!: string;
  @Column('timestamptz', { name: 'last_sync', nullable: true }) lastSync!: Date | null;
}

@Entity('projects')
export class ProjectEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column('smallint', { name: 'index_id' }) indexId!: number;
  @ManyToOne(() => IndexEntity)
  @JoinColumn({ name: 'index_id' })
  index!: IndexEntity;
  @Column('text') name!: string;
  @Column('bigint') serial!: string;
  @Column('timestamptz', { name: 'synced_at', nullable: true }) syncedAt!: Date | null;
  @OneToMany(() => ReleaseEntity, (r) => r.project) releases!: ReleaseEntity[];
}

@Entity('metadata')
export class MetadataEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column('bytea') digest!: Buffer;
  @Column('text', { name: 'requires_python', nullable: true }) requiresPython!: string | null;
  @Column('text', { name: 'provides_extras', array: true }) providesExtras!: string[];
  @Column('int', { name: 'requirement_ids', array: true }) requirementIds!: number[];
}

@Entity('requirements')
export class RequirementEntity {
  @PrimaryGeneratedColumn() id!: number;
  @Column('text') text!: string;
  @Column('text', { nullable: true }) target!: string | null;
  @Column('text', { array: true, nullable: true }) extras!: string[] | null;
  @Column('text', { nullable: true }) specifier!: string | null;
  @Column('bytea', { array: true, nullable: true }) ranges!: Buffer[] | null;
  @Column('text', { nullable: true }) marker!: string | null;
  @Column('text', { nullable: true }) url!: string | null;
  @Column('text', { nullable: true }) invalid!: string | null;
}

@Entity('releases')
export class ReleaseEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('int', { name: 'project_id' }) projectId!: number;
  @ManyToOne(() => ProjectEntity, (p) => p.releases)
  @JoinColumn({ name: 'project_id' })
  project!: ProjectEntity;
  @Column('text') version!: string;
  @Column('bytea', { nullable: true }) key!: Buffer | null;
  @Column('boolean') invalid!: boolean;
  @Column('boolean') yanked!: boolean;
  @Column('text', { name: 'yanked_reason', nullable: true }) yankedReason!: string | null;
  @Column('text', { name: 'requires_python', nullable: true }) requiresPython!: string | null;
  @Column('timestamptz', { name: 'upload_time', nullable: true }) uploadTime!: Date | null;
  @Column('bigint') serial!: string;
  @OneToMany(() => FileEntity, (f) => f.release) files!: FileEntity[];
}

@Entity('files')
export class FileEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('bigint', { name: 'release_id' }) releaseId!: string;
  @ManyToOne(() => ReleaseEntity, (r) => r.files)
  @JoinColumn({ name: 'release_id' })
  release!: ReleaseEntity;
  @Column('text') filename!: string;
  @Column('text') kind!: 'wheel' | 'sdist' | 'other';
  @Column('text', { array: true, nullable: true }) tags!: string[] | null;
  @Column('bytea', { nullable: true }) sha256!: Buffer | null;
  @Column('bigint', { nullable: true }) size!: string | null;
  @Column('text', { nullable: true }) url!: string | null;
  @Column('text', { name: 'requires_python', nullable: true }) requiresPython!: string | null;
  @Column('boolean') yanked!: boolean;
  @Column('text', { name: 'yanked_reason', nullable: true }) yankedReason!: string | null;
  @Column('int', { name: 'metadata_id', nullable: true }) metadataId!: number | null;
  @Column('bytea', { name: 'metadata_sha256', nullable: true }) metadataSha256!: Buffer | null;
  @Column('boolean') synthetic!: boolean;
  @Column('timestamptz', { name: 'upload_time', nullable: true }) uploadTime!: Date | null;
}

@Entity('mirror_jobs')
export class MirrorJobEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id!: string;
  @Column('text') kind!: string;
  @Column('text') state!: string;
  @Column('jsonb') params!: Record<string, unknown>;
  @Column('jsonb') progress!: Record<string, unknown>;
  @Column('text', { nullable: true }) error!: string | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt!: Date | null;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}

/** Every entity, for a DataSource. */
export const MIRROR_ENTITIES = [IndexEntity, ProjectEntity, MetadataEntity, RequirementEntity, ReleaseEntity, FileEntity, MirrorJobEntity];
