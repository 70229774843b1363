/**
 * The port through which a build gets the wheels of its sdists' build requirements: resolved by
 * venvfarm for the build's target (never by pip, which has no index in the builder), wheels only
 * (a build requirement is not itself built from source). The worker's adapter resolves on the
 * mirror (nest/mirror-build-requirements.ts).
 */
import type { PlannedPin } from '../build-plan';

/** Build requirements that cannot be resolved: `detail` says which and why (a final failure). */
export class BuildRequirementsError extends Error {
  constructor(readonly detail: string) {
    super(`the build requirements cannot be resolved: ${detail}`);
    this.name = 'BuildRequirementsError';
  }
}

export abstract class BuildRequirementResolver {
  /**
   * One hashed wheel per pin of `requirements` (PEP 508 strings) for the target.
   * @throws BuildRequirementsError, or what the mirror and the upstream throw (retried)
   */
  abstract resolve(requirements: readonly string[], python: string, platform: string): Promise<readonly PlannedPin[]>;
}
