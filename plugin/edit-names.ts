/**
 * Names for what an edit writes: the group says what the edit was, each layer says how to
 * reproduce its variation (seed, step, strength), so the Layers panel doubles as an edit history.
 */
import type { MaskParams } from '../companion-server/protocol';

const PROMPT_CHARS_IN_NAME = 32;

export function brushGroupName(prompt: string, maskCount: number): string {
  const what = prompt.trim() === '' ? 'Brush' : `Brush "${shorten(prompt)}"`;
  return maskCount === 1 ? what : `${what} · ${maskCount} masks`;
}

/** Variation i used every mask's seed + i. */
export function variationLayerName(index: number, masks: readonly MaskParams[]): string {
  const per = (value: (mask: MaskParams) => string | number) => masks.map(value).join('/');
  return `v${index + 1} · seed ${per((m) => m.seed + index)} · step ${per((m) => m.step)} · strength ${per((m) => round(m.strength))}`;
}

export function generatedLayerName(prompt: string, seed: number, steps: number): string {
  return `Generated "${shorten(prompt)}" · seed ${seed} · ${steps} steps`;
}

function shorten(text: string): string {
  const oneLine = text.trim().replace(/\s+/g, ' ');
  return oneLine.length <= PROMPT_CHARS_IN_NAME ? oneLine : `${oneLine.slice(0, PROMPT_CHARS_IN_NAME - 1)}…`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
