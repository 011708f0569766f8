/** Photoshop image data in and out, disposed as soon as its bytes are copied (large buffers trigger memory warnings). */
import { imaging } from 'photoshop';
import type { imaging as Imaging } from 'photoshop/dom/ImagingModule';
import type { ComponentSize } from '../imaging/depth';

type PhotoshopImageData = Imaging.PhotoshopImageData;

export interface ImageBytes {
  data: Uint8Array | Uint16Array | Float32Array;
  width: number;
  height: number;
  components: number;
  componentSize: ComponentSize;
}

/** Copies the pixels out (chunky) and disposes the image data, even when reading fails. */
export async function readImageData(imageData: PhotoshopImageData): Promise<ImageBytes> {
  try {
    const data = await imageData.getData({ chunky: true });
    return { data, width: imageData.width, height: imageData.height, components: imageData.components, componentSize: imageData.componentSize };
  } finally {
    // Typed as a Promise, but synchronous in Photoshop (uxp-notes.md).
    void imageData.dispose();
  }
}

/** Makes image data for one write and disposes it afterwards, whatever the write does. */
export async function withImageData<T>(
  buffer: Uint8Array | Uint16Array | Float32Array,
  options: Imaging.CreateImageDataFromBufferOptions,
  use: (imageData: PhotoshopImageData) => Promise<T>,
): Promise<T> {
  const imageData = await imaging.createImageDataFromBuffer(buffer, options);
  try {
    return await use(imageData);
  } finally {
    void imageData.dispose();
  }
}
