/**
 * batchPlay for the one property the host uses: a layer's XMPMetadataAsUTF8. Like Photoshop, a
 * descriptor it cannot play resolves as {_obj: "error"} rather than rejecting.
 */
import type { photoshopAction, ActionDescriptor } from 'photoshop/dom/CoreModules';
import { requireModal, session } from './session';

interface Reference {
  _ref?: string;
  _id?: number;
  _property?: string;
}

function findLayer(target: Reference[]) {
  const layerRef = target.find((r) => r._ref === 'layer');
  const docRef = target.find((r) => r._ref === 'document');
  const doc = session.documents.find((d) => d.id === docRef?._id);
  return doc?.allLayers().find((layer) => layer.id === layerRef?._id) ?? null;
}

function play(descriptor: ActionDescriptor): ActionDescriptor {
  const target = (descriptor._target ?? []) as Reference[];
  const asksForXmp = target.some((r) => r._property === 'XMPMetadataAsUTF8');
  const layer = findLayer(target);
  if (!asksForXmp || !layer) return { _obj: 'error', message: 'The object or property is not available.', result: -1715 };
  if (descriptor._obj === 'get') return { _obj: 'layer', XMPMetadataAsUTF8: layer.xmp };
  if (descriptor._obj === 'set') {
    requireModal('set');
    layer.xmp = String((descriptor.to as { XMPMetadataAsUTF8?: unknown }).XMPMetadataAsUTF8 ?? '');
    layer.doc.recordChange('Set Metadata');
    return { _obj: 'set' };
  }
  return { _obj: 'error', message: `The fake does not play "${descriptor._obj}".`, result: -25920 };
}

export const action: Pick<typeof photoshopAction, 'batchPlay'> = {
  async batchPlay(commands) {
    return commands.map(play);
  },
};
