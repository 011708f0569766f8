import { generationFromXmp, generationToXmp, type GenerationRecord } from '../../plugin/generation-record';

const record: GenerationRecord = {
  model: 'tiny-sd',
  generation: { prompt: 'fish & chips <on a "plate">', negativePrompt: 'blur', steps: 20, guidance: 7, scheduler: 'euler', seed: 123, width: 512, height: 512 },
  placement: { left: 0, top: 0, width: 512, height: 512 },
};

describe('generation records in layer XMP', () => {
  it('round-trips through an XMP packet, markup characters in prompts included', () => {
    const xmp = generationToXmp(record);
    expect(xmp).toMatch(/^<\?xpacket begin=/);
    expect(xmp).not.toContain('<on a');
    expect(generationFromXmp(xmp)).toEqual(record);
  });

  it.each([
    ['an empty packet', ''],
    ['XMP from another tool', '<x:xmpmeta><rdf:RDF><rdf:Description dc:title="x"/></rdf:RDF></x:xmpmeta>'],
    ['a damaged record', generationToXmp(record).replace('"steps":20', '"steps":"twenty"')],
    ['a record the companion would refuse (unknown scheduler)', generationToXmp(record).replace('"scheduler":"euler"', '"scheduler":"pndm"')],
    ['a record with a fractional placement', generationToXmp(record).replace('"left":0', '"left":0.5')],
    ['broken JSON', '<diffusionBrush:generation>{nope</diffusionBrush:generation>'],
  ])('reads no record from %s', (_name, xmp) => {
    expect(generationFromXmp(xmp)).toBeNull();
  });
});
