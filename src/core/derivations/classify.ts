// Local / cached / build / unknown for each derivation, from one batch validity query of the local
// store and one batch query per substituter. "cached" counts only narinfos whose signature verifies
// against trusted-public-keys, because Nix builds a path whose signature it cannot trust; a cache
// that cannot answer makes the path "unknown", never "build".
import { queryCache, type CacheAnswer, type CacheQueryOptions } from '../nix/binaryCache';
import { invalidPaths } from '../nix/localStore';
import { checkSignatures, parsePublicKeys, type PublicKey } from '../nix/signatures';
import type { SubstituterPlan } from '../nix/substituters';
import type { FolderEvaluation } from './evaluate';
import { allItems } from './groups';

export type DerivationStatus = 'local' | 'cached' | 'build' | 'unknown';

export interface CacheHit {
  /** The substituter that has it. */
  url: string;
  /** The trusted key whose signature verified; null when require-sigs is off. */
  signedBy: string | null;
  narSize: number;
  /** Download size, when the cache says. */
  fileSize: number | null;
}

export interface OutputStatus {
  output: string;
  path: string;
  status: DerivationStatus;
  hit: CacheHit | null;
  /** Why it is "build" or "unknown" when there is more to say, e.g. an untrusted signer. */
  detail: string | null;
}

export interface ItemStatus {
  drvPath: string;
  status: DerivationStatus;
  outputs: OutputStatus[];
  /** Unpacked size of the outputs to download. */
  narSize: number;
  /** Compressed size of the outputs to download; null when a cache does not say. */
  downloadSize: number | null;
  /** The first output detail, for one-line tooltips. */
  detail: string | null;
}

export interface StatusInput {
  drvPath: string;
  outputs: Readonly<Record<string, string>>;
}

interface Trust {
  keys: readonly PublicKey[];
  requireSigs: boolean;
}

/** One output path: local, else the first substituter (in order) with a trusted narinfo. */
export function pathStatus(
  storePath: string,
  isLocal: boolean,
  answers: readonly { url: string; answer: CacheAnswer | undefined }[],
  trust: Trust,
): Omit<OutputStatus, 'output'> {
  if (isLocal) return { path: storePath, status: 'local', hit: null, detail: null };
  let untrusted: string | null = null;
  let unreachable: string | null = null;
  for (const { url, answer } of answers) {
    if (answer === undefined || answer.kind === 'absent') continue;
    if (answer.kind === 'unreachable') {
      unreachable ??= `${url} could not be asked: ${answer.reason}`;
      continue;
    }
    const { info } = answer;
    const check = checkSignatures(info, info.sigs, trust.keys);
    if (check.trustedBy !== null || !trust.requireSigs) {
      const hit = { url, signedBy: check.trustedBy, narSize: info.narSize, fileSize: info.fileSize };
      return { path: storePath, status: 'cached', hit, detail: null };
    }
    untrusted ??=
      check.signers.length === 0
        ? `${url} has it unsigned`
        : `${url} has it, signed by ${check.signers.join(', ')}, which trusted-public-keys does not list`;
  }
  if (unreachable !== null) return { path: storePath, status: 'unknown', hit: null, detail: unreachable };
  return { path: storePath, status: 'build', hit: null, detail: untrusted };
}

/** A derivation is local when every output is, "build" when any output must be built. */
export function combineOutputs(drvPath: string, outputs: OutputStatus[]): ItemStatus {
  const has = (s: DerivationStatus) => outputs.some((o) => o.status === s);
  const status: DerivationStatus = outputs.every((o) => o.status === 'local')
    ? 'local'
    : has('build')
      ? 'build'
      : has('unknown')
        ? 'unknown'
        : 'cached';
  const hits = outputs.flatMap((o) => (o.hit ? [o.hit] : []));
  const downloadSize = hits.some((h) => h.fileSize === null)
    ? null
    : hits.reduce((sum, h) => sum + (h.fileSize ?? 0), 0);
  return {
    drvPath,
    status,
    outputs,
    narSize: hits.reduce((sum, h) => sum + h.narSize, 0),
    downloadSize,
    detail: outputs.find((o) => o.detail !== null)?.detail ?? null,
  };
}

/**
 * Classifies derivations and remembers the answers by drv path (a drv path fixes its output paths),
 * so a refresh after an edit asks only about the derivations that changed. "unknown" is never
 * remembered; `invalidate` forgets derivations that were just built, pushed or collected.
 */
export class CacheStatusService {
  private readonly known = new Map<string, ItemStatus>();
  private planKey = '';

  /** `options` say how to run Nix and ask caches; `fresh` forgets what was remembered first. */
  async classify(
    items: readonly StatusInput[],
    plan: SubstituterPlan,
    options: CacheQueryOptions & { fresh?: boolean } = {},
  ): Promise<Map<string, ItemStatus>> {
    const key = JSON.stringify([plan.substituters, plan.trustedPublicKeys, plan.requireSigs]);
    if (key !== this.planKey || options.fresh) {
      this.known.clear();
      this.planKey = key;
    }
    const result = new Map<string, ItemStatus>();
    const todo = new Map<string, StatusInput>();
    for (const item of items) {
      const known = this.known.get(item.drvPath);
      if (known) result.set(item.drvPath, known);
      else todo.set(item.drvPath, item);
    }
    if (todo.size === 0) return result;

    const paths = [...todo.values()].flatMap((i) => Object.values(i.outputs));
    const missing = await invalidPaths(paths, options);
    const missingList = [...missing];
    const answers = await Promise.all(
      plan.substituters.map(async (url) => ({ url, answers: await queryCache(url, missingList, options) })),
    );
    const trust = { keys: parsePublicKeys(plan.trustedPublicKeys).keys, requireSigs: plan.requireSigs };
    for (const item of todo.values()) {
      const outputs = Object.entries(item.outputs).map(([output, storePath]) => ({
        output,
        ...pathStatus(
          storePath,
          !missing.has(storePath),
          answers.map((a) => ({ url: a.url, answer: a.answers.get(storePath) })),
          trust,
        ),
      }));
      const status = combineOutputs(item.drvPath, outputs);
      result.set(item.drvPath, status);
      if (status.status !== 'unknown') this.known.set(item.drvPath, status);
    }
    return result;
  }

  /** Forgets the given derivations (all when none are given). */
  invalidate(drvPaths?: Iterable<string>): void {
    if (drvPaths === undefined) this.known.clear();
    else for (const drvPath of drvPaths) this.known.delete(drvPath);
  }
}

export interface ClassifyOptions extends CacheQueryOptions {
  /** Keeps answers between calls (the view keeps one per folder); a fresh one per call otherwise. */
  service?: CacheStatusService;
  /** Ask again about derivations the service remembers. */
  fresh?: boolean;
}

/** The status of every derivation an evaluation grouped, by drv path, against the caches it planned. */
export function classifyFolder(
  evaluation: Pick<FolderEvaluation, 'groups' | 'plan'>,
  options: ClassifyOptions = {},
): Promise<Map<string, ItemStatus>> {
  const { service = new CacheStatusService(), ...queryOptions } = options;
  return service.classify(allItems(evaluation.groups), evaluation.plan, queryOptions);
}
