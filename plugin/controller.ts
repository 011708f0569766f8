/**
 * The panel's lifecycle and every user action: it owns the companion connection, the state the
 * components render, and the sequence of an edit (read the selection and the context crop from
 * Photoshop, run the job on the companion outside any modal scope, write the results in one).
 * Components call its methods; they never hold state of their own that an action depends on.
 */
import type { Root } from 'react-dom/client';
import { DEFAULT_PORT, type ServerInfoMessage } from '../companion-server/protocol';
import { CompanionClient, CompanionError, type ConnectionStatus, type JobEvents, type RunningJob } from './client';
import { brushGroupName, generatedLayerName, variationLayerName } from './edit-names';
import { brushJobInput, generationPlan, maskParams, PREVIEW_EVERY, sourceCrop } from './edit-plan';
import type { GenerationRecord } from './generation-record';
import type { DocumentInfo, Host } from './host';
import { HostError } from './host';
import type { PixelRect } from './imaging/geometry';
import { shrinkGray } from './imaging/pixels';
import { DEFAULT_MASK, initialPanelState, type GlobalSettings, type JobView, type MaskEntry, type PanelState } from './panel-state';
import { jobFraction, progressLabel } from './progress';
import { Store } from './store';
import { mountPanel } from './ui/mount';

/** How often the panel looks at the active document and its selection (Photoshop has no selection event in the DOM). */
const DOCUMENT_POLL_MS = 1000;
const MAX_SEED = 2 ** 31 - 1;
/** Mask thumbnails are shown at 48 px; twice that stays sharp on high-density screens. */
const THUMBNAIL_SIDE = 96;

export interface ControllerOptions {
  /** ws://127.0.0.1:<port>; must be one of the manifest's network domains. */
  companionUrl?: string;
  pollMs?: number;
}

export class PanelController {
  readonly store = new Store<PanelState>(initialPanelState());
  private readonly client: CompanionClient;
  private root: Root | null = null;
  private poll: ReturnType<typeof setInterval> | null = null;
  private running: RunningJob<unknown> | null = null;
  private nextMaskKey = 1;
  /** The crop the last brush read, and from which source: the next brush on the same source may keep it. */
  private lastCrop: { documentId: number; source: string; crop: PixelRect } | null = null;

  constructor(private readonly host: Host, private readonly options: ControllerOptions = {}) {
    this.client = new CompanionClient({
      url: options.companionUrl ?? `ws://127.0.0.1:${DEFAULT_PORT}`,
      clientName: 'Diffusion Brush for Photoshop',
      clientVersion: '0.1.0',
      tokens: host,
      onStatus: (connection) => this.setState({ connection }),
    });
  }

  mount(container: HTMLElement): void {
    this.root = mountPanel(container, this);
    this.refreshDocument();
    this.poll = setInterval(() => this.refreshDocument(), this.options.pollMs ?? DOCUMENT_POLL_MS);
    void this.client.start();
  }

  unmount(): void {
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
    this.running?.cancel();
    this.client.stop();
    this.root?.unmount();
    this.root = null;
  }

  // --- connection

  pair(code: string): void {
    if (code.trim() === '') return this.notify('error', 'Type the pairing code the companion printed when it started (npm start), then press Pair.');
    this.client.pair(code);
  }

  // --- masks

  async addMaskFromSelection(): Promise<void> {
    await this.guard(async () => {
      const selection = await this.host.readSelectionMask();
      const thumbnail = await this.host.encodeMaskPicture(shrinkGray(selection.mask, THUMBNAIL_SIDE));
      const entry: MaskEntry = {
        key: this.nextMaskKey++,
        documentId: selection.documentId,
        bounds: selection.bounds,
        mask: selection.mask,
        thumbnail,
        step: Math.min(DEFAULT_MASK.step, this.store.get().globals.steps - 1),
        strength: DEFAULT_MASK.strength,
        seed: randomSeed(),
        prompt: '',
      };
      this.setState({ masks: [...this.store.get().masks, entry], notice: null });
    });
  }

  updateMask(key: number, change: Partial<Pick<MaskEntry, 'step' | 'strength' | 'seed' | 'prompt'>>): void {
    this.setState({ masks: this.store.get().masks.map((mask) => (mask.key === key ? { ...mask, ...change } : mask)) });
  }

  newSeed(key: number): void {
    this.updateMask(key, { seed: randomSeed() });
  }

  /** Later masks win where masks overlap, so order matters. */
  moveMask(key: number, by: -1 | 1): void {
    const masks = [...this.store.get().masks];
    const from = masks.findIndex((mask) => mask.key === key);
    const to = from + by;
    if (from < 0 || to < 0 || to >= masks.length) return;
    [masks[from], masks[to]] = [masks[to], masks[from]];
    this.setState({ masks });
  }

  removeMask(key: number): void {
    this.setState({ masks: this.store.get().masks.filter((mask) => mask.key !== key) });
  }

  // --- settings

  setGlobals(change: Partial<GlobalSettings>): void {
    const globals = { ...this.store.get().globals, ...change };
    // A mask's injection step must stay below the step count.
    const masks = this.store.get().masks.map((mask) => (mask.step < globals.steps ? mask : { ...mask, step: globals.steps - 1 }));
    this.setState({ globals, masks });
  }

  dismissNotice(): void {
    this.setState({ notice: null });
  }

  // --- jobs

  async brush(): Promise<void> {
    const ready = this.readyToRun('No document is open. Open the image to edit, select an area and add it as a mask.');
    if (!ready) return;
    const { state, info, doc } = ready;
    const masks = state.masks.filter((mask) => mask.documentId === doc.documentId);
    if (masks.length === 0) return this.notify('error', 'Add at least one mask: select the area to repaint, then press "Add from selection".');
    const { globals } = state;
    const sourceLayer = globals.source === 'layer' ? doc.activeLayer : null;
    if (globals.source === 'layer' && !sourceLayer) return this.notify('error', 'No layer is active. Click the layer to edit in the Layers panel, or choose "Merged visible" as the source.');

    await this.runJob('brush', async (events) => {
      const record = sourceLayer ? await this.host.readGenerationRecord(doc.documentId, sourceLayer.id) : null;
      // Another model cannot regenerate the layer's trajectory: the layer is then treated as any image.
      const generated = record && record.model === info.model.id ? record : null;
      const sourceKey = sourceLayer ? `layer ${sourceLayer.id}` : 'merged';
      const last = this.lastCrop;
      const previousCrop = last && last.documentId === doc.documentId && last.source === sourceKey ? last.crop : null;
      const crop = sourceCrop(doc, masks, globals, info.model, generated, previousCrop);
      const source = await this.host.readSourceCrop(doc.documentId, sourceLayer ? { kind: 'layer', layer: sourceLayer } : { kind: 'merged' }, crop);
      this.lastCrop = { documentId: doc.documentId, source: sourceKey, crop: source.bounds };
      const job = this.client.brush(brushJobInput(doc, masks, globals, source, generated), events);
      return {
        job,
        write: async () => {
          const outcome = await job.result;
          const name = brushGroupName(globals.prompt, masks.length);
          const params = maskParams(masks);
          await this.host.writeEdit({
            documentId: doc.documentId,
            sourceLayer,
            name,
            variations: outcome.variations.map((variation) => ({
              layerName: variationLayerName(variation.index, params),
              image: variation.image,
              placement: variation.placement,
              layerMask: variation.layerMask,
            })),
            isCancelled: () => this.cancelRequested,
          });
          const pictures = await Promise.all(outcome.variations.map((variation) => this.host.encodeRgbaPicture(variation.image)));
          const how = generated
            ? 'regenerated from the layer\'s generation parameters; toggle the layers to compare'
            : 'source trajectory by inversion; toggle the layers to compare';
          this.setState({ lastResults: { name, how, pictures } });
        },
      };
    });
  }

  async generate(): Promise<void> {
    const ready = this.readyToRun('No document is open. Create or open a document to generate into.');
    if (!ready) return;
    const { state, info, doc } = ready;
    const { globals } = state;
    if (globals.prompt.trim() === '') return this.notify('error', 'Type a prompt first: it describes the image to generate.');

    await this.runJob('generate', async (events) => {
      const { generation, placement } = generationPlan(doc, globals, info.model, randomSeed());
      const job = this.client.generate({ ...generation, previewEvery: PREVIEW_EVERY }, events);
      return {
        job,
        write: async () => {
          const outcome = await job.result;
          const record: GenerationRecord = { model: info.model.id, generation, placement };
          const name = generatedLayerName(generation.prompt, generation.seed, generation.steps);
          await this.host.writeGeneratedLayer({ documentId: doc.documentId, layerName: name, image: outcome.image, record, isCancelled: () => this.cancelRequested });
          const how = 'parameters stored with the layer: brushes on it regenerate its exact trajectory';
          this.setState({ lastResults: { name, how, pictures: [await this.host.encodeRgbaPicture(outcome.image)] } });
        },
      };
    });
  }

  /** The companion's description and the active document, or null once the user is told which is missing. */
  private readyToRun(noDocument: string): { state: PanelState; info: ServerInfoMessage; doc: DocumentInfo } | null {
    const state = this.store.get();
    const doc = this.host.describeActiveDocument();
    if (state.connection.kind !== 'ready') this.notify('error', connectionAdvice(state.connection));
    else if (!doc) this.notify('error', noDocument);
    else return { state, info: state.connection.info, doc };
    return null;
  }

  cancel(): void {
    const job = this.store.get().job;
    if (!job) return;
    this.running?.cancel();
    this.setState({ job: { ...job, cancelling: true, label: 'Cancelling…' } });
  }

  /** Starts a job: `start` reads from Photoshop and submits; `write` waits for the result and writes it. */
  private async runJob(
    kind: 'brush' | 'generate',
    start: (events: JobEvents) => Promise<{ job: RunningJob<unknown>; write: () => Promise<void> }>,
  ): Promise<void> {
    if (this.store.get().job) return;
    this.setState({ job: { kind, fraction: 0, label: 'Reading the document…', preview: null, cancelling: false }, notice: null });
    const events: JobEvents = {
      onQueued: (position) => this.updateJob({ label: position === 0 ? 'Starting…' : `Queued: ${position} job(s) ahead` }),
      onStarted: () => this.updateJob({ label: 'Started' }),
      onProgress: (progress, preview) => {
        this.updateJob({ fraction: jobFraction(kind, progress), label: progressLabel(progress) });
        if (preview) void this.host.encodeRgbaPicture(preview).then((picture) => this.updateJob({ preview: picture }));
      },
    };
    await this.guard(async () => {
      const { job, write } = await start(events);
      this.running = job;
      if (this.cancelRequested) job.cancel();
      await write();
    });
    this.running = null;
    this.setState({ job: null });
  }

  /** The panel's Cancel was pressed during the job now running. */
  private get cancelRequested(): boolean {
    return this.store.get().job?.cancelling === true;
  }

  private updateJob(change: Partial<JobView>): void {
    const job = this.store.get().job;
    if (job && !job.cancelling) this.setState({ job: { ...job, ...change } });
    else if (job && change.preview) this.setState({ job: { ...job, preview: change.preview } });
  }

  /** Runs an action; whatever it throws becomes a notice in words, with what to do. */
  private async guard(action: () => Promise<void>): Promise<void> {
    try {
      await action();
    } catch (error) {
      if ((error instanceof CompanionError && error.code === 'CANCELLED') || (error instanceof HostError && error.code === 'cancelled')) {
        this.notify('info', error.message);
      } else {
        this.notify('error', error instanceof Error ? error.message : String(error));
      }
    }
  }

  private refreshDocument(): void {
    let document: PanelState['document'];
    try {
      document = this.host.describeActiveDocument();
    } catch {
      document = null;
    }
    const previous = this.store.get().document;
    if (JSON.stringify(previous) !== JSON.stringify(document)) this.setState({ document });
  }

  private notify(kind: 'error' | 'info', text: string): void {
    this.setState({ notice: { kind, text } });
  }

  private setState(change: Partial<PanelState>): void {
    this.store.update((state) => ({ ...state, ...change }));
  }
}

function randomSeed(): number {
  return Math.floor(Math.random() * MAX_SEED);
}

function connectionAdvice(status: ConnectionStatus): string {
  switch (status.kind) {
    case 'needs-pairing':
      return 'The panel is not paired with the companion yet: type the code it printed at start (npm start) and press Pair.';
    case 'offline':
      return `${status.problem}`;
    case 'connecting':
      return 'Still connecting to the companion; try again in a moment.';
    case 'ready':
      return 'Connected.';
    default: {
      const unknown: never = status;
      return String(unknown);
    }
  }
}
