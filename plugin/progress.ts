/**
 * One progress bar over a job's phases. Most of the time goes to sampler steps, so the denoise phase
 * gets most of the bar (anchors.md: progress weighted toward sampler steps); a generate job has no
 * encode or inversion phase.
 */
import type { JobProgress } from './client';

type Phase = JobProgress['phase'];
type Span = readonly [start: number, end: number];

// A brush gets its source trajectory by inverting or by regenerating, never both: they share a span.
const BRUSH_SPANS: Record<Phase, Span> = { encode: [0, 0.05], invert: [0.05, 0.3], regenerate: [0.05, 0.3], denoise: [0.3, 0.95], decode: [0.95, 1] };
const GENERATE_SPANS: Record<Phase, Span> = { encode: [0, 0], invert: [0, 0], regenerate: [0, 0], denoise: [0, 0.95], decode: [0.95, 1] };

const PHASE_LABELS: Record<Phase, string> = {
  encode: 'Encoding',
  invert: 'Inverting',
  regenerate: 'Regenerating the source',
  denoise: 'Denoising',
  decode: 'Decoding',
};

export function jobFraction(kind: 'brush' | 'generate', progress: JobProgress): number {
  const [start, end] = (kind === 'brush' ? BRUSH_SPANS : GENERATE_SPANS)[progress.phase];
  const within = progress.total > 0 ? Math.min(1, progress.step / progress.total) : 0;
  return start + (end - start) * within;
}

export function progressLabel(progress: JobProgress): string {
  return `${PHASE_LABELS[progress.phase]} ${progress.step}/${progress.total}`;
}
