/// <reference path="./spectrum-elements.d.ts" />
/**
 * React wrappers for the Spectrum UXP widgets. React does not attach event handlers to custom
 * elements, so each wrapper adds its listener through a ref; the listener reads the latest callback
 * from a ref, so handlers never see stale props.
 */
import { useEffect, useRef, type ReactNode } from 'react';

/** Attaches `handler` for `events` on the element, always calling the newest `handler`. */
function useElementEvents<E extends HTMLElement>(events: readonly string[], handler: (element: E, event: Event) => void) {
  const ref = useRef<E>(null);
  const latest = useRef(handler);
  latest.current = handler;
  const key = events.join(' ');
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const listener = (event: Event) => latest.current(element, event);
    for (const name of key.split(' ')) element.addEventListener(name, listener);
    return () => {
      for (const name of key.split(' ')) element.removeEventListener(name, listener);
    };
  }, [key]);
  return ref;
}

type ValueElement = HTMLElement & { value: string | number };

interface ButtonProps {
  children: ReactNode;
  onPress: () => void;
  variant?: 'cta' | 'primary' | 'secondary' | 'warning';
  disabled?: boolean;
  testId?: string;
}

export function Button({ children, onPress, variant = 'primary', disabled, testId }: ButtonProps) {
  const ref = useElementEvents(['click'], () => {
    if (!disabled) onPress();
  });
  return (
    <sp-button ref={ref} variant={variant} disabled={disabled ? true : undefined} data-testid={testId}>
      {children}
    </sp-button>
  );
}

export function ActionButton({ children, onPress, disabled, title, testId }: Omit<ButtonProps, 'variant'> & { title: string }) {
  const ref = useElementEvents(['click'], () => {
    if (!disabled) onPress();
  });
  return (
    <sp-action-button ref={ref} quiet title={title} disabled={disabled ? true : undefined} data-testid={testId}>
      {children}
    </sp-action-button>
  );
}

interface SliderProps {
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  onChange: (value: number) => void;
  testId?: string;
}

/** The slider shows its own value next to the label (UXP's sp-slider does). */
export function Slider({ label, min, max, step, value, onChange, testId }: SliderProps) {
  // 'input' fires while dragging, 'change' on release: both update, so the label follows the thumb.
  const ref = useElementEvents<ValueElement>(['input', 'change'], (element) => {
    const next = Number(element.value);
    if (Number.isFinite(next) && next !== value) onChange(next);
  });
  useEffect(() => {
    if (ref.current && Number(ref.current.value) !== value) ref.current.value = value;
  }, [ref, value]);
  return (
    <sp-slider ref={ref} class="slider" min={min} max={max} step={step} value={value} data-testid={testId}>
      <sp-label slot="label">{label}</sp-label>
    </sp-slider>
  );
}

interface TextFieldProps {
  value: string;
  placeholder: string;
  onChange: (value: string) => void;
  multiline?: boolean;
  testId?: string;
}

export function TextField({ value, placeholder, onChange, multiline, testId }: TextFieldProps) {
  const ref = useElementEvents<ValueElement>(['input'], (element) => onChange(String(element.value)));
  useEffect(() => {
    if (ref.current && ref.current.value !== value) ref.current.value = value;
  }, [ref, value]);
  return multiline ? (
    <sp-textarea ref={ref} class="field" placeholder={placeholder} value={value} data-testid={testId} />
  ) : (
    <sp-textfield ref={ref} class="field" placeholder={placeholder} value={value} data-testid={testId} />
  );
}

interface PickerProps<V extends string> {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
  testId?: string;
}

export function Picker<V extends string>({ label, value, options, onChange, testId }: PickerProps<V>) {
  const ref = useElementEvents<HTMLElement & { selectedIndex: number; value?: string }>(['change'], (element) => {
    const chosen = options[element.selectedIndex];
    if (chosen && chosen.value !== value) onChange(chosen.value);
  });
  return (
    <div className="row">
      <sp-label>{label}</sp-label>
      <sp-picker ref={ref} class="picker" size="s" data-testid={testId}>
        <sp-menu slot="options">
          {options.map((option) => (
            <sp-menu-item key={option.value} value={option.value} selected={option.value === value ? true : undefined}>
              {option.label}
            </sp-menu-item>
          ))}
        </sp-menu>
      </sp-picker>
    </div>
  );
}

export function ProgressBar({ label, fraction }: { label: string; fraction: number }) {
  return (
    <sp-progressbar class="progress" max={100} value={Math.round(fraction * 100)} data-testid="progress">
      <sp-label slot="label">{label}</sp-label>
    </sp-progressbar>
  );
}
