/** Settings shared by every mask of an edit. */
import { SCHEDULER_KINDS } from '../../companion-server/engine/schedulers/scheduler';
import type { PanelController } from '../controller';
import type { ContextChoice, GlobalSettings } from '../panel-state';
import { Picker, Slider, TextField } from './widgets';

const SCHEDULER_OPTIONS = SCHEDULER_KINDS.map((kind) => ({ value: kind, label: kind.toUpperCase() }));
const CONTEXT_OPTIONS: { value: ContextChoice; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'bounding-box', label: 'Selection only' },
  { value: 'padding', label: 'Selection + padding' },
  { value: 'whole-image', label: 'Whole image' },
];
const SOURCE_OPTIONS: { value: GlobalSettings['source']; label: string }[] = [
  { value: 'layer', label: 'Active layer' },
  { value: 'merged', label: 'Merged visible' },
];

export function SettingsSection({ controller, globals }: { controller: PanelController; globals: GlobalSettings }) {
  const set = (change: Partial<GlobalSettings>) => controller.setGlobals(change);
  return (
    <section className="section" data-testid="settings">
      <sp-heading size="XXS">Prompt and settings</sp-heading>
      <TextField multiline value={globals.prompt} placeholder="Prompt" onChange={(prompt) => set({ prompt })} testId="prompt" />
      <TextField value={globals.negativePrompt} placeholder="Negative prompt" onChange={(negativePrompt) => set({ negativePrompt })} />
      <Slider label="Steps" min={2} max={60} step={1} value={globals.steps} onChange={(steps) => set({ steps })} testId="steps" />
      <Slider label="Guidance" min={0} max={15} step={0.5} value={globals.guidance} onChange={(guidance) => set({ guidance })} />
      <Slider label="Variations" min={1} max={4} step={1} value={globals.variations} onChange={(variations) => set({ variations })} testId="variations" />
      <Picker label="Scheduler" value={globals.scheduler} options={SCHEDULER_OPTIONS} onChange={(scheduler) => set({ scheduler })} testId="scheduler" />
      <Picker label="Context" value={globals.context} options={CONTEXT_OPTIONS} onChange={(context) => set({ context })} testId="context" />
      {globals.context === 'padding' && (
        <Slider label="Padding (px)" min={0} max={512} step={8} value={globals.paddingPixels} onChange={(paddingPixels) => set({ paddingPixels })} testId="padding" />
      )}
      <Picker label="Source" value={globals.source} options={SOURCE_OPTIONS} onChange={(source) => set({ source })} testId="source" />
    </section>
  );
}
