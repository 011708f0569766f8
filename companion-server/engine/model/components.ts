/**
 * What the pipeline needs from a loaded model folder. Implementations wrap ONNX sessions and cast
 * every input to what the session declares; callers see only float32 Tensors.
 */
import type { Tensor } from '../tensor';
import type { SchedulerConfig } from '../schedulers/scheduler';
import type { ProviderAttempt, RunStats } from '../ort';

export interface TextTokenizer {
  /** The fixed sequence length (77 for CLIP). */
  readonly maxLength: number;
  /** Token ids with BOS/EOS, truncated and padded with the tokenizer's own pad token to maxLength. */
  encode(text: string): number[];
}

export interface TextEncoder {
  /** [batch, maxLength] token ids -> last_hidden_state [batch, maxLength, hidden]. */
  encode(inputIds: readonly (readonly number[])[]): Promise<Tensor>;
}

export interface Unet {
  readonly inChannels: number;
  /** Predicts noise (or v / x0, per the scheduler's prediction_type) for a batch of latents at one timestep. */
  predict(sample: Tensor, timestep: number, encoderHiddenStates: Tensor): Promise<Tensor>;
}

export interface VaeEncoder {
  /** Image [batch, 3, H, W] in [-1, 1] -> mean of the latent distribution, scaled by scaling_factor. */
  encode(image: Tensor): Promise<Tensor>;
}

export interface VaeDecoder {
  /** Scaled latents [batch, 4, H/8, W/8] -> image [batch, 3, H, W] in [-1, 1]. */
  decode(latents: Tensor): Promise<Tensor>;
}

export interface StableDiffusionModel {
  readonly id: string;
  readonly directory: string;
  /** The execution provider the sessions run on. */
  readonly provider: string;
  /** The providers tried before `provider`, and why each was skipped or failed. */
  readonly providerAttempts: readonly ProviderAttempt[];
  /** What the folder did not say and was filled in (SD1.x defaults), or how the export differs; each a sentence. */
  readonly warnings: readonly string[];
  /** Native image size in pixels (unet sample_size * vaeScaleFactor): 512 for SD1.5. */
  readonly nativeSize: number;
  readonly vaeScaleFactor: number;
  /**
   * Image sides must be multiples of this: the VAE factor times the UNet's downsampling, so every UNet
   * level has whole latent cells and the skip connections line up (64 for SD 1.5).
   */
  readonly sizeMultiple: number;
  readonly latentChannels: number;
  readonly schedulerConfig: SchedulerConfig;
  readonly tokenizer: TextTokenizer;
  readonly textEncoder: TextEncoder;
  readonly unet: Unet;
  /** Absent when the folder has no vae_encoder (then only generated images can be brushed). */
  readonly vaeEncoder?: VaeEncoder;
  readonly vaeDecoder: VaeDecoder;
  /** Time spent inside onnxruntime's session.run, summed over all components (for benchmarks). */
  onnxRunStats(): RunStats;
  release(): Promise<void>;
}
