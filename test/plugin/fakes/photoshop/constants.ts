/** The enum values the host uses, with Photoshop's own strings (checked against the typings by the casts). */
import type * as Constants from 'photoshop/dom/Constants';

export const constants = {
  LayerKind: { NORMAL: 'pixel' as Constants.LayerKind.NORMAL, GROUP: 'group' as Constants.LayerKind.GROUP },
  ElementPlacement: {
    PLACEBEFORE: 'placeBefore' as Constants.ElementPlacement.PLACEBEFORE,
    PLACEAFTER: 'placeAfter' as Constants.ElementPlacement.PLACEAFTER,
    PLACEATBEGINNING: 'placeAtBeginning' as Constants.ElementPlacement.PLACEATBEGINNING,
    PLACEATEND: 'placeAtEnd' as Constants.ElementPlacement.PLACEATEND,
  },
  BitsPerChannelType: {
    EIGHT: 'bitDepth8' as Constants.BitsPerChannelType.EIGHT,
    SIXTEEN: 'bitDepth16' as Constants.BitsPerChannelType.SIXTEEN,
    THIRTYTWO: 'bitDepth32' as Constants.BitsPerChannelType.THIRTYTWO,
  },
  DocumentMode: { RGB: 'RGBColorMode' as Constants.DocumentMode.RGB, CMYK: 'CMYKColorMode' as Constants.DocumentMode.CMYK },
};
