/**
 * The build key: what makes two builds the same build. A tarball is cached forever under it, so
 * everything that can change its bytes is in it: the pins with their files' hashes, the target,
 * the builder image (by digest, not tag: a rebuilt image is another builder) and the packer's
 * version (a change in how trees are made relocatable or packed). Nothing else is: who asked,
 * when, or the order of the requirements.
 */
import { createHash } from 'node:crypto';
import { PACKER_ID } from '@venvfarm/envpack';
import type { BuildPlan } from './build-plan';

/** What, besides the plan, a build's bytes depend on. */
export interface BuildEnvironment {
  /** The builder image's digest (`sha256:…`), or the local interpreter's identity for the local executor. */
  readonly builderDigest: string;
  /** How trees are packed (envpack's {@link PACKER_ID}, by default). */
  readonly packer?: string;
}

/** Lower-case hex sha256 of the canonical description of the build. */
export function buildKey(plan: BuildPlan, environment: BuildEnvironment): string {
  const canonical = JSON.stringify({
    v: 1,
    python: plan.python,
    platform: plan.platform,
    pins: plan.pins.map((pin) => [pin.name, pin.version, pin.filename, pin.sha256]),
    builder: environment.builderDigest,
    packer: environment.packer ?? PACKER_ID,
  });
  return createHash('sha256').update(canonical).digest('hex');
}
