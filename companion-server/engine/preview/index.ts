/** Cheap latent previews: a linear latent -> RGB map, stored per model and fitted against its VAE. */
export { latentPreview, LATENT_RGB_FILE, type LatentRgbCoefficients } from './latent-rgb';
export { fitLatentRgb, latentRgbFor } from './fit-latent-rgb';
export { coefficientsFor } from './model-coefficients';
