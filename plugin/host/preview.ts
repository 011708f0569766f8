/** Pictures for the panel: previews, results and mask thumbnails as JPEG data URLs made by Photoshop. */
import { imaging } from 'photoshop';
import { dropAlpha, grayToRgb, type GrayImage, type RgbaImage } from '../imaging/pixels';
import { withImageData } from './image-data';

async function encodeRgb(rgb: Uint8Array, width: number, height: number): Promise<string> {
  return withImageData(rgb, { width, height, components: 3, chunky: true, colorSpace: 'RGB' }, async (imageData) => {
    const base64 = await imaging.encodeImageData({ imageData, base64: true });
    return `data:image/jpeg;base64,${base64 as string}`;
  });
}

export function encodeRgbaPicture(image: RgbaImage): Promise<string> {
  return encodeRgb(dropAlpha(image), image.width, image.height);
}

/** Gray masks as RGB, since UXP's <img> does not show grayscale pictures. */
export function encodeMaskPicture(mask: GrayImage): Promise<string> {
  return encodeRgb(grayToRgb(mask), mask.width, mask.height);
}
