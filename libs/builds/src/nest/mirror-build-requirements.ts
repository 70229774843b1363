/**
 * Build requirements resolved on the mirror, as `POST /v1/resolve` resolves (projects the mirror
 * lacks are fetched lazily from the configured upstream), for the build's target and wheels only.
 */
import { Injectable } from '@nestjs/common';
import { Database } from '@venvfarm/db';
import { LazyMirror } from '@venvfarm/mirror';
import { parseProjectName, parseRequirement, parseTarget, Pep508Error } from '@venvfarm/pep508';
import { ProjectNotFoundError, resolveOnMirror } from '@venvfarm/resolution';
import { SolveTimeoutError, UnsatisfiableError } from '@venvfarm/resolver';
import { planBuild, PlannedPin, UnbuildablePinError } from '../build-plan';
import { BuildRequirementResolver, BuildRequirementsError } from '../sdists/build-requirement-resolver';

/** How long a resolution of build requirements may take (they are a handful of projects). */
const SOLVE_MS = 30_000;

@Injectable()
export class MirrorBuildRequirements extends BuildRequirementResolver {
  constructor(
    private readonly db: Database,
    private readonly lazyMirror: LazyMirror,
  ) {
    super();
  }

  async resolve(requirements: readonly string[], python: string, platform: string): Promise<readonly PlannedPin[]> {
    try {
      const resolution = await resolveOnMirror(
        this.db.pool,
        { requirements: requirements.map((text) => parseRequirement(text)), target: parseTarget({ python, platform }), onlyBinary: true, deadline: Date.now() + SOLVE_MS },
        { fetchMissing: async (name) => (await this.lazyMirror.ensure(parseProjectName(name))) === 'fetched' },
      );
      return planBuild(python, platform, resolution.pins).pins;
    } catch (error) {
      // What another attempt cannot change fails the build; the mirror's and the upstream's trouble is retried.
      const final = error instanceof ProjectNotFoundError || error instanceof UnsatisfiableError || error instanceof SolveTimeoutError || error instanceof UnbuildablePinError || error instanceof Pep508Error;
      if (final) throw new BuildRequirementsError(`${requirements.join(', ')}: ${error.message}`);
      throw error;
    }
  }
}
