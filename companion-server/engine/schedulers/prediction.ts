/**
 * What the denoising model predicts (`prediction_type`), turned into the two quantities every update
 * rule needs: the clean sample x_0 and the noise eps. The sample is written as
 * x = a * x_0 + b * eps (a NoiseLevel: a = sqrt(alpha-bar), b = sqrt(1 - alpha-bar) for variance-
 * preserving samples; a = 1, b = sigma for the Euler schedulers' variance-exploding samples), which
 * covers the per-parametrisation formulas of diffusers' scheduling_ddim.py, scheduling_euler_discrete.py,
 * scheduling_dpmsolver_multistep.py and scheduling_lcm.py at once.
 */
import type { Tensor } from '../tensor';
import type { NoiseLevel, PredictionType } from './scheduler';
import { checkSameShape, clamp, combine } from './tensor-math';

export const PREDICTION_TYPES: readonly PredictionType[] = ['epsilon', 'v_prediction', 'sample'];

export interface Prediction {
  /** x_0: the model's estimate of the clean sample. */
  predOriginalSample: Tensor;
  /** eps: the model's estimate of the noise in the sample. */
  predEpsilon: Tensor;
}

export function splitModelOutput(type: PredictionType, modelOutput: Tensor, sample: Tensor, level: NoiseLevel): Prediction {
  checkSameShape(sample, modelOutput, 'model output');
  const a = level.signalScale;
  const b = level.noiseScale;
  switch (type) {
    case 'epsilon':
      // DDPM eq. 15: x_0 = (x - b * eps) / a
      return { predOriginalSample: combine([1 / a, sample], [-b / a, modelOutput]), predEpsilon: modelOutput };
    case 'sample':
      return { predOriginalSample: modelOutput, predEpsilon: combine([1 / b, sample], [-a / b, modelOutput]) };
    case 'v_prediction': {
      // v = alpha_t * eps - sigma_t * x_0 on the variance-preserving sample x / sqrt(a^2 + b^2)
      // (Salimans & Ho, "Progressive Distillation", 2022, section 4 and appendix D).
      const norm = Math.sqrt(a * a + b * b);
      const alphaT = a / norm;
      const sigmaT = b / norm;
      return {
        predOriginalSample: combine([alphaT / norm, sample], [-sigmaT, modelOutput]),
        predEpsilon: combine([sigmaT / norm, sample], [alphaT, modelOutput]),
      };
    }
  }
}

/**
 * x_0 clipped to [-range, range] when `clipSample` (diffusers' clip_sample / clip_sample_range); eps
 * stays as the model gave it (diffusers' use_clipped_model_output=false).
 */
export function clipPrediction(prediction: Prediction, clipSample: boolean, range: number): Prediction {
  return clipSample ? { ...prediction, predOriginalSample: clamp(prediction.predOriginalSample, range) } : prediction;
}
