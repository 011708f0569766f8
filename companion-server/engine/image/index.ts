/** Image operations for the brush: masks, codecs, resampling, crops and compositing. */
export { type MaskPlane, maskFromGray, maskToGray, grayBounds, layerWeights } from './mask-plane';
export { areaAverage } from './area-average';
export { growMask, featherMask } from './grow-feather';
export { cropPixels, compositeThroughMask, pastePixels, replaceWhereMasked } from './raster';
export { decodeRgba, decodeGray, encodeRgba, writeImageFile, formatOfPath, IMAGE_FORMATS, JPEG_QUALITY, type ImageFormat } from './codecs';
export { resizeRgba } from './resize';
