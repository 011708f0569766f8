/**
 * `npm run bench`: the brush's cost ratios on the tiny model, printed as JSON (issue 3, "Benchmark").
 * - cachedEdit: an edit on a cached source trajectory vs a full generation at 512x512; expected
 *   ((N - n) / N) * denoise share + decode share of the generation.
 * - onnxOverhead: pipeline wall time / time inside onnxruntime's session.run (target <= 1.10).
 * - largeCanvas: the same edit on an 8000x6000 source vs a 512x512 source (target <= 1.2), both as the
 *   panel sends it (only the context crop) and with the whole canvas handed to the engine.
 * Ratios, not absolute times, so they mean something on any machine. Never run by the tests.
 */
import { performance } from 'node:perf_hooks';
import { runBrush } from '../companion-server/engine/brush/run-brush';
import { planEdit } from '../companion-server/engine/geometry';
import { cropPixels } from '../companion-server/engine/image';
import { TrajectoryCache } from '../companion-server/engine/brush/trajectory-cache';
import type { BrushRequest, GenerateRequest, GrayImage, JobContext, RgbaImage } from '../companion-server/engine/jobs';
import type { StableDiffusionModel } from '../companion-server/engine/model/components';
import { loadModel } from '../companion-server/engine/model/load-model';
import { generate } from '../companion-server/engine/pipeline/generate';

const MODEL_DIR = process.env.BENCH_MODEL ?? 'models/tiny-sd';
const STEPS = 10;
const INJECTION_STEP = 5;
/** Interleaved rounds per comparison; medians are reported. */
const REPEATS = 5;

const quiet: JobContext = { progress: () => undefined, throwIfCancelled: () => undefined };

const generation: GenerateRequest = {
  prompt: 'a lighthouse on a cliff',
  negativePrompt: '',
  steps: STEPS,
  guidance: 7.5,
  scheduler: 'ddim',
  seed: 1,
  width: 512,
  height: 512,
};

interface Timing {
  wallMs: number;
  onnxMs: number;
}

async function time(model: StableDiffusionModel, work: () => Promise<unknown>): Promise<Timing> {
  const onnxBefore = model.onnxRunStats().milliseconds;
  const started = performance.now();
  await work();
  return { wallMs: performance.now() - started, onnxMs: model.onnxRunStats().milliseconds - onnxBefore };
}

/**
 * Runs the workloads interleaved, REPEATS rounds, so load from other processes hits them alike; returns
 * each workload's median timing and, per workload, the median over rounds of its time / the first's.
 */
async function interleaved(model: StableDiffusionModel, workloads: (() => Promise<unknown>)[]): Promise<{ median: Timing[]; ratio: number[] }> {
  const rounds: Timing[][] = [];
  for (let r = 0; r < REPEATS; r++) {
    const round: Timing[] = [];
    for (const work of workloads) round.push(await time(model, work));
    rounds.push(round);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    median: workloads.map((_, w) => ({ wallMs: median(rounds.map((r) => r[w].wallMs)), onnxMs: median(rounds.map((r) => r[w].onnxMs)) })),
    ratio: workloads.map((_, w) => median(rounds.map((r) => r[w].wallMs / r[0].wallMs))),
  };
}

function squareMask(width: number, height: number, left: number, top: number, side: number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let y = top; y < top + side; y++) data.fill(255, y * width + left, y * width + left + side);
  return { width, height, data };
}

function syntheticImage(width: number, height: number): RgbaImage {
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      data[i] = (x * 7) & 255;
      data[i + 1] = (y * 5) & 255;
      data[i + 2] = ((x + y) * 3) & 255;
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

function edit(source: RgbaImage, mask: GrayImage, trajectory: BrushRequest['trajectory'], seed: number): BrushRequest {
  return {
    source,
    masks: [{ mask, step: INJECTION_STEP, strength: 0.8, seed }],
    prompt: generation.prompt,
    negativePrompt: generation.negativePrompt,
    steps: STEPS,
    guidance: generation.guidance,
    scheduler: generation.scheduler,
    smoothingSteps: 2,
    noiseMode: 'additive',
    trajectory,
    variations: 1,
    context: { kind: 'auto' },
  };
}

const round = (value: number) => Math.round(value * 1000) / 1000;

async function main(): Promise<void> {
  const model = await loadModel(MODEL_DIR, { providers: ['cpu'] });
  try {
    // 1. Full generation vs an edit on its cached trajectory, both at 512x512.
    const generated = await generate(model, generation, { ctx: quiet });
    const cache = new TrajectoryCache();
    const mask512 = squareMask(512, 512, 160, 160, 192);
    let seed = 0;
    const fromGenerated = () => runBrush(model, edit(generated.image, mask512, { kind: 'generated', generation }, seed++), { ctx: quiet, cache });
    await fromGenerated();
    const first = await interleaved(model, [
      () => generate(model, generation, { ctx: quiet }),
      fromGenerated,
      () => model.vaeDecoder.decode(generated.trajectory[STEPS]),
    ]);
    const [fullGeneration, cachedEdit] = first.median;
    const decodeShare = first.ratio[2];
    const expected = ((STEPS - INJECTION_STEP) / STEPS) * (1 - decodeShare) + decodeShare;
    const measured = first.ratio[1];

    // 2. The same edit (a 192 px square, auto context, trajectory by forward noise) on 512x512 and 8000x6000.
    const small = syntheticImage(512, 512);
    const large = syntheticImage(8000, 6000);
    const maskLarge = squareMask(8000, 6000, 4000, 3000, 192);
    const noiseSource = { kind: 'noise', seed: 3 } as const;
    // What the panel sends: only the context crop planEdit picks, placed by sourceOrigin on the canvas.
    const plan = planEdit({ canvas: large, selection: { left: 4000, top: 3000, width: 192, height: 192 }, context: { kind: 'auto' }, model });
    const cropOnly: BrushRequest = {
      ...edit(cropPixels(large, plan.context, 4), cropPixels(maskLarge, plan.context, 1), noiseSource, 1),
      sourceOrigin: { left: plan.context.left, top: plan.context.top },
      canvasSize: { width: large.width, height: large.height },
    };
    const onSmall = () => runBrush(model, edit(small, mask512, noiseSource, 1), { ctx: quiet, cache });
    const onLarge = () => runBrush(model, edit(large, maskLarge, noiseSource, 1), { ctx: quiet, cache });
    const onCrop = () => runBrush(model, cropOnly, { ctx: quiet, cache });
    for (const warm of [onSmall, onLarge, onCrop]) await warm();
    const second = await interleaved(model, [onSmall, onCrop, onLarge]);
    const [smallEdit, cropEdit, largeEdit] = second.median;

    const report = {
      model: model.id,
      provider: model.provider,
      steps: STEPS,
      injectionStep: INJECTION_STEP,
      repeats: REPEATS,
      cachedEdit: {
        fullGenerationMs: round(fullGeneration.wallMs),
        cachedEditMs: round(cachedEdit.wallMs),
        decodeShare: round(decodeShare),
        ratio: round(measured),
        expected: round(expected),
        withinTenPercent: Math.abs(measured - expected) <= 0.1 * expected,
      },
      onnxOverhead: {
        generation: round(fullGeneration.wallMs / fullGeneration.onnxMs),
        cachedEdit: round(cachedEdit.wallMs / cachedEdit.onnxMs),
        target: 1.1,
      },
      largeCanvas: {
        contextCrop: `${plan.context}`,
        edit512Ms: round(smallEdit.wallMs),
        panelSendsCrop: { editMs: round(cropEdit.wallMs), ratio: round(second.ratio[1]) },
        engineGetsWholeCanvas: { editMs: round(largeEdit.wallMs), ratio: round(second.ratio[2]) },
        target: 1.2,
      },
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await model.release();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : String(error));
  process.exitCode = 1;
});
