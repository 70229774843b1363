/**
 * The wheels a build installs for its sdist pins: the one built before by the same builder when
 * the store has it, else built now, offline, in the builder (the executor's `buildWheels`), with
 * the sdists' build requirements resolved by venvfarm and staged beside them, and kept for later
 * builds. The wheels go into the staging folder and the sdists out of it, so that pip installs
 * exactly those wheels (their hashes are what requirements.txt names).
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ArtifactStore, ArtifactFetcher, stageFiles } from '@venvfarm/artifacts';
import { Version } from '@venvfarm/pep440';
import { normalizeName } from '@venvfarm/pep508';
import { parseWheelFilename } from '@venvfarm/wheel';
import type { BuildPlan, PlannedPin } from '../build-plan';
import { BuildExecutor, BuildLimits, ExecutorTarget } from '../executors/build-executor';
import { BuildRequirementResolver, BuildRequirementsError } from './build-requirement-resolver';
import { readBuildRequirements } from './build-requirements';
import { BuiltWheel, builtWheelKey, findBuiltWheel, keepBuiltWheel } from './built-wheels';

export interface SdistWheelsContext {
  readonly key: string;
  readonly plan: BuildPlan;
  readonly target: ExecutorTarget;
  readonly executor: BuildExecutor;
  readonly store: ArtifactStore;
  readonly fetch: ArtifactFetcher;
  readonly requirements: BuildRequirementResolver | undefined;
  readonly limits: BuildLimits;
  /** The build directory, and its staging folder (`files/`) with the sdists in it. */
  readonly workDir: string;
  readonly filesDir: string;
  readonly onLog: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** `pip wheel` succeeded but left no wheel of an sdist it was given (a final failure). */
export class WheelMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WheelMissingError';
  }
}

/** Whether `filename` is a wheel of `pin`. */
function isWheelOf(filename: string, pin: PlannedPin): boolean {
  try {
    const wheel = parseWheelFilename(filename);
    return wheel.name === normalizeName(pin.name) && wheel.version === Version.parse(pin.version).toString();
  } catch {
    return false;
  }
}

/** The wheel of each sdist pin, staged in place of the sdist. @throws BuildRequirementsError, UnreadableSdistError, WheelMissingError, InstallFailedError, BuildLimitError */
export async function wheelsForSdists(sdists: readonly PlannedPin[], context: SdistWheelsContext): Promise<Map<PlannedPin, BuiltWheel>> {
  const { store, filesDir, onLog } = context;
  const wheels = new Map<PlannedPin, BuiltWheel>();
  const missing: { pin: PlannedPin; key: string }[] = [];
  for (const pin of sdists) {
    const key = builtWheelKey(pin.sha256, context.target);
    const found = await findBuiltWheel(store, key);
    if (found === null) missing.push({ pin, key });
    else {
      wheels.set(pin, found);
      onLog(`${pin.filename}: built before by this builder, ${found.filename}`);
    }
  }
  if (missing.length > 0) await buildMissing(missing, wheels, context);
  await stageFiles(
    [...wheels.values()].map((wheel) => ({ filename: wheel.filename, sha256: wheel.sha256, url: '' })),
    store,
    context.fetch,
    filesDir,
    { signal: context.signal },
  );
  for (const pin of sdists) await rm(join(filesDir, pin.filename), { force: true });
  return wheels;
}

async function buildMissing(missing: readonly { pin: PlannedPin; key: string }[], wheels: Map<PlannedPin, BuiltWheel>, context: SdistWheelsContext): Promise<void> {
  const { filesDir, onLog } = context;
  const wanted = new Set<string>();
  for (const { pin } of missing) for (const requirement of await readBuildRequirements(join(filesDir, pin.filename), pin.filename)) wanted.add(requirement);
  onLog(`building ${missing.length} wheel(s) from sdists; their build requirements: ${wanted.size === 0 ? 'none' : [...wanted].join(', ')}`);
  if (wanted.size > 0) {
    if (context.requirements === undefined) throw new BuildRequirementsError('this worker has no resolver for build requirements');
    const pins = await context.requirements.resolve([...wanted], context.plan.python, context.plan.platform);
    onLog(`build requirements: ${pins.map((pin) => `${pin.name}==${pin.version}`).join(' ')}`);
    const staged = new Set(await readdir(filesDir));
    const toStage = pins.filter((pin) => !staged.has(pin.filename)).map((pin) => ({ filename: pin.filename, sha256: pin.sha256, url: pin.url }));
    await stageFiles(toStage, context.store, context.fetch, filesDir, { signal: context.signal });
  }
  const wheelsDir = await context.executor.buildWheels(
    { key: context.key, target: context.target, workDir: context.workDir, limits: context.limits, onLog, signal: context.signal },
    missing.map(({ pin }) => pin.filename),
  );
  const built = await readdir(wheelsDir);
  for (const { pin, key } of missing) {
    const filename = built.find((name) => isWheelOf(name, pin));
    if (filename === undefined) throw new WheelMissingError(`pip wheel made no wheel of ${pin.name} ${pin.version} from ${pin.filename} (it made: ${built.join(', ') || 'nothing'})`);
    const wheel = await keepBuiltWheel(context.store, key, join(wheelsDir, filename), filename);
    wheels.set(pin, wheel);
    onLog(`${pin.filename}: built ${filename} (sha256 ${wheel.sha256}), kept for later builds`);
  }
}
