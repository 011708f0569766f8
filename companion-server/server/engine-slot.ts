/**
 * The engine currently loaded, and switching to another model folder. Models are the folders with a
 * model_index.json beside the one the companion started with (models/ in this repository).
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { JobEngine, OpenEngine } from './engine-port';

export interface ModelEntry {
  id: string;
  dir: string;
}

export class EngineSlot {
  private switching: Promise<void> | null = null;

  private constructor(
    private engine: JobEngine,
    private modelDir: string,
    private readonly openEngine: OpenEngine,
  ) {}

  static async open(modelDir: string, openEngine: OpenEngine): Promise<EngineSlot> {
    const dir = resolve(modelDir);
    return new EngineSlot(await openEngine(dir), dir, openEngine);
  }

  get current(): JobEngine {
    return this.engine;
  }

  get isSwitching(): boolean {
    return this.switching !== null;
  }

  /** The engine to run the next job on, once a switch in progress has finished. */
  async ready(): Promise<JobEngine> {
    await this.switching;
    return this.engine;
  }

  async listModels(): Promise<ModelEntry[]> {
    const root = dirname(this.modelDir);
    const names = await readdir(root).catch(() => [] as string[]);
    const entries: ModelEntry[] = [];
    for (const name of names.sort()) {
      const dir = join(root, name);
      if (await isFile(join(dir, 'model_index.json'))) entries.push({ id: name, dir });
    }
    return entries;
  }

  get activeModelId(): string {
    return basename(this.modelDir);
  }

  /** Loads the new model first, so a failure leaves the current one in place. */
  async switchTo(model: ModelEntry): Promise<void> {
    const switching = (async () => {
      const next = await this.openEngine(model.dir);
      const previous = this.engine;
      this.engine = next;
      this.modelDir = model.dir;
      await previous.close();
    })();
    this.switching = switching.catch(() => undefined).finally(() => {
      this.switching = null;
    });
    await switching;
  }

  async close(): Promise<void> {
    await this.switching;
    await this.engine.close();
  }
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((stats) => stats.isFile(), () => false);
}
