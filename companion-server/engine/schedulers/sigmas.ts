/**
 * The sigma (variance-exploding) view of a noise schedule, used by the Euler schedulers and DPM-Solver:
 * sigma_t = sqrt((1 - alpha-bar_t) / alpha-bar_t), so that x_t / sqrt(alpha-bar_t) = x_0 + sigma_t * eps
 * (Karras et al., "Elucidating the Design Space of Diffusion-Based Generative Models", 2022).
 */
import { linspace } from './spacing';

const f32 = Math.fround;

/** sigma_t for every training timestep, in float32 as diffusers computes it with torch. */
export function trainingSigmas(alphasCumprod: Float32Array): Float32Array {
  return alphasCumprod.map((alphaBar) => f32(Math.sqrt(f32(f32(1 - alphaBar) / alphaBar))));
}

/** Karras et al. (2022), eq. 5 with rho = 7: sigmas spaced evenly in sigma^(1/rho), largest first. */
export function karrasSigmas(sigmaMin: number, sigmaMax: number, count: number, rho = 7): number[] {
  const minInvRho = sigmaMin ** (1 / rho);
  const maxInvRho = sigmaMax ** (1 / rho);
  return linspace(0, 1, count).map((ramp) => (maxInvRho + ramp * (minInvRho - maxInvRho)) ** rho);
}

/**
 * The fractional training timestep whose sigma is `sigma`, interpolating linearly in log(sigma)
 * between the neighbouring training timesteps (diffusers' _sigma_to_t). `logSigmas` must increase.
 */
export function sigmaToTimestep(sigma: number, logSigmas: Float32Array): number {
  const logSigma = Math.log(Math.max(sigma, 1e-10));
  let low = 0;
  for (let t = 0; t < logSigmas.length; t++) {
    if (logSigmas[t] <= logSigma) low = t;
  }
  low = Math.min(low, logSigmas.length - 2);
  const high = low + 1;
  const weight = Math.min(Math.max((logSigmas[low] - logSigma) / (logSigmas[low] - logSigmas[high]), 0), 1);
  return (1 - weight) * low + weight * high;
}

/** log(sigma_t) for every training timestep, as numpy computes it on the float32 table. */
export function logSigmas(sigmas: Float32Array): Float32Array {
  return sigmas.map((sigma) => f32(Math.log(sigma)));
}

/** The VP coefficients of a sigma: alpha_t = 1 / sqrt(sigma^2 + 1), sigma_t = sigma * alpha_t. */
export function sigmaToAlphaSigma(sigma: number): { alphaT: number; sigmaT: number } {
  const alphaT = 1 / Math.sqrt(sigma * sigma + 1);
  return { alphaT, sigmaT: sigma * alphaT };
}
