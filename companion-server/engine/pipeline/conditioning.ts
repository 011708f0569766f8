/** Text conditioning: prompts -> CLIP hidden states, one encoder call for all of them. */
import type { StableDiffusionModel } from '../model/components';
import type { Tensor } from '../tensor';
import { splitBatch } from '../tensor';

/** Hidden states [prompts.length, maxLength, hidden] for the prompts, in order. Duplicates are encoded once. */
export async function encodePrompts(model: StableDiffusionModel, prompts: readonly string[]): Promise<Tensor[]> {
  const unique = [...new Set(prompts)];
  const ids = unique.map((prompt) => model.tokenizer.encode(prompt));
  const hidden = splitBatch(await model.textEncoder.encode(ids), unique.length);
  return prompts.map((prompt) => hidden[unique.indexOf(prompt)]);
}

/** The classifier-free guidance pair for one prompt: unconditional (negative prompt) and conditional rows. */
export interface PromptConditioning {
  uncond: Tensor;
  cond: Tensor;
}

export async function encodeConditioning(
  model: StableDiffusionModel,
  prompt: string,
  negativePrompt: string,
): Promise<PromptConditioning> {
  const [uncond, cond] = await encodePrompts(model, [negativePrompt, prompt]);
  return { uncond, cond };
}
