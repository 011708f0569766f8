/**
 * The source trajectories of recent edits (algorithm.md, "the trajectory cache"): a repeated edit on the
 * same source with another seed, strength or mask then costs only the N - n regeneration steps and one
 * decode. Least recently used entries are evicted first once the byte budget is exceeded.
 */
import type { Tensor } from '../tensor';

/** Z_i for i >= firstStep (entries before firstStep are undefined: an inversion stops at the earliest step asked for). */
export interface SourceTrajectory {
  readonly latents: readonly (Tensor | undefined)[];
  readonly firstStep: number;
  /** The seed of the scheduler's per-step noise along this trajectory (stochastic schedulers). */
  readonly noiseSeed: number;
  /**
   * predictions[i]: the x0 predicted at step i, kept for multistep schedulers (order > 1) on regenerated
   * trajectories, so a resumed run starts with the history the original run had.
   */
  readonly predictions?: readonly Tensor[];
}

export const DEFAULT_TRAJECTORY_CACHE_BYTES = 512 * 1024 * 1024;

export class TrajectoryCache {
  private readonly entries = new Map<string, { trajectory: SourceTrajectory; bytes: number }>();
  private used = 0;

  constructor(readonly budgetBytes: number = DEFAULT_TRAJECTORY_CACHE_BYTES) {
    if (!(budgetBytes >= 0)) throw new RangeError(`The trajectory cache budget must be a number of bytes >= 0; got ${budgetBytes}.`);
  }

  /** The trajectory stored under `key` if it reaches back to `firstStep`; marks it most recently used. */
  get(key: string, firstStep: number): SourceTrajectory | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.trajectory.firstStep > firstStep) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.trajectory;
  }

  /** Stores a trajectory (replacing one under the same key); one larger than the whole budget is not kept. */
  set(key: string, trajectory: SourceTrajectory): void {
    this.delete(key);
    const bytes = [...trajectory.latents, ...(trajectory.predictions ?? [])].reduce((sum, t) => sum + (t ? t.data.byteLength : 0), 0);
    if (bytes > this.budgetBytes) return;
    this.entries.set(key, { trajectory, bytes });
    this.used += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.used <= this.budgetBytes) break;
      this.entries.delete(oldest);
      this.used -= entry.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.used -= entry.bytes;
  }

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }
}
