/** The masks of the next edit, each captured from a selection with its own step, strength, seed and prompt. */
import type { PanelController } from '../controller';
import type { DocumentInfo } from '../host';
import type { MaskEntry } from '../panel-state';
import { ActionButton, Button, Slider, TextField } from './widgets';

interface MasksSectionProps {
  controller: PanelController;
  masks: MaskEntry[];
  document: DocumentInfo | null;
  steps: number;
}

export function MasksSection({ controller, masks, document, steps }: MasksSectionProps) {
  const hint = !document
    ? 'Open a document to start.'
    : !document.hasSelection
      ? 'Select the area to repaint (feathered edges are kept), then add it here.'
      : null;
  return (
    <section className="section" data-testid="masks">
      <sp-heading size="XXS">Masks</sp-heading>
      <Button variant="secondary" disabled={hint !== null} onPress={() => void controller.addMaskFromSelection()} testId="add-mask">
        {hint === null ? 'Add from selection' : 'Select an area first'}
      </Button>
      {hint && <sp-detail data-testid="mask-hint">{hint}</sp-detail>}
      {masks.map((mask, index) => (
        <MaskItem
          key={mask.key}
          controller={controller}
          mask={mask}
          index={index}
          count={masks.length}
          steps={steps}
          elsewhere={document !== null && mask.documentId !== document.documentId}
        />
      ))}
    </section>
  );
}

interface MaskItemProps {
  controller: PanelController;
  mask: MaskEntry;
  index: number;
  count: number;
  steps: number;
  /** Captured in another document: Brush leaves it out until that document is active again. */
  elsewhere: boolean;
}

function MaskItem({ controller, mask, index, count, steps, elsewhere }: MaskItemProps) {
  const { key } = mask;
  return (
    <div className="mask" data-testid="mask-item">
      <div className="row">
        <img className="thumbnail" src={mask.thumbnail} alt={`Mask ${index + 1}`} />
        <div className="grow">
          <sp-body size="s">
            Mask {index + 1} · {mask.bounds.width}×{mask.bounds.height} at {mask.bounds.left},{mask.bounds.top}
          </sp-body>
          {elsewhere && <sp-detail>From another document: not used until that document is active.</sp-detail>}
          <div className="row">
            <ActionButton title="Move up (earlier masks lose where masks overlap)" disabled={index === 0} onPress={() => controller.moveMask(key, -1)}>
              ↑
            </ActionButton>
            <ActionButton title="Move down" disabled={index === count - 1} onPress={() => controller.moveMask(key, 1)}>
              ↓
            </ActionButton>
            <ActionButton title="Remove this mask" onPress={() => controller.removeMask(key)} testId="remove-mask">
              ✕
            </ActionButton>
          </div>
        </div>
      </div>
      <Slider
        label="Step (earlier = bigger change)"
        min={0}
        max={steps - 1}
        step={1}
        value={mask.step}
        onChange={(step) => controller.updateMask(key, { step })}
        testId="mask-step"
      />
      <Slider
        label="Strength"
        min={0}
        max={2}
        step={0.05}
        value={mask.strength}
        onChange={(strength) => controller.updateMask(key, { strength })}
        testId="mask-strength"
      />
      <div className="row">
        <sp-body size="s" class="grow" data-testid="mask-seed">Seed {mask.seed}</sp-body>
        <ActionButton title="New random seed" onPress={() => controller.newSeed(key)} testId="new-seed">
          New seed
        </ActionButton>
      </div>
      <TextField value={mask.prompt} placeholder="Prompt for this mask (optional)" onChange={(prompt) => controller.updateMask(key, { prompt })} />
    </div>
  );
}
