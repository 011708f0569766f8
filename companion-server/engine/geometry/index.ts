/** Crop and scale math for brush edits; dependency-free so the Photoshop panel can import it. */
export { Extent } from './extent';
export { Bounds, type RectLike } from './bounds';
export { planEdit, processingSize, PROCESSING_MULTIPLE_LATENT_CELLS, type EditPlan, type EditPlanInput } from './plan-edit';
