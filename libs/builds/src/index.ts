/**
 * Builds (issue 9): a pinned set and a target become a relocatable virtualenv tarball, built
 * once per build key by an executor (Docker, or a local interpreter) and kept in the artifact
 * store.
 */
export { planBuild, UnbuildablePinError } from './build-plan';
export type { BuildPlan, PinFile, PlannedPin, ResolvedPin } from './build-plan';
export { buildKey } from './build-key';
export type { BuildEnvironment } from './build-key';
export { BuildRow } from './build.entity';
export type { BuildStatus, BuildTimings } from './build.entity';
export { BuildRepository } from './build.repository';
export type { NewBuild } from './build.repository';
export { BuildExecutor, BuildLimitError, InstallFailedError, installScript, wheelScript } from './executors/build-executor';
export type { BuildLimits, ExecutionResult, ExecutionSpec, ExecutorTarget } from './executors/build-executor';
export { builderImage, DockerExecutor } from './executors/docker-executor';
export { LocalExecutor } from './executors/local-executor';
export { ENVS_NAMESPACE, runBuild, tarballName } from './run-build';
export type { BuiltEnv, RunBuildOptions } from './run-build';
export { BuildFailedError, BuildTargets, NoBuilderError } from './build-targets';
export { BuildRequirementResolver, BuildRequirementsError } from './sdists/build-requirement-resolver';
export { LEGACY_BUILD_REQUIREMENTS, readBuildRequirements, UnreadableSdistError } from './sdists/build-requirements';
export { BUILT_WHEELS_NAMESPACE, builtWheelKey, findBuiltWheel } from './sdists/built-wheels';
export type { BuiltWheel } from './sdists/built-wheels';
export { WheelMissingError } from './sdists/sdist-wheels';
export { BuildProcessor } from './jobs/build.processor';
export { BuildsModule } from './nest/builds.module';
export { BuildJobsModule } from './nest/build-jobs.module';
