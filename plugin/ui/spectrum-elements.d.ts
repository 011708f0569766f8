/**
 * The Spectrum UXP widgets Photoshop provides as custom elements. React passes these props as
 * attributes; events are attached through refs (see widgets.tsx), and `class` is used, not className.
 */
import 'react';

type SpectrumAttributes = {
  ref?: unknown;
  key?: string | number;
  class?: string;
  children?: unknown;
  slot?: string;
  style?: unknown;
  disabled?: boolean;
  title?: string;
  'data-testid'?: string;
};

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'sp-body': SpectrumAttributes & { size?: string };
      'sp-heading': SpectrumAttributes & { size?: string };
      'sp-detail': SpectrumAttributes;
      'sp-label': SpectrumAttributes;
      'sp-divider': SpectrumAttributes & { size?: string };
      'sp-button': SpectrumAttributes & { variant?: string; quiet?: boolean };
      'sp-action-button': SpectrumAttributes & { quiet?: boolean };
      'sp-slider': SpectrumAttributes & { min?: number; max?: number; step?: number; value?: number; 'value-label'?: string };
      'sp-textfield': SpectrumAttributes & { value?: string; placeholder?: string; type?: string; quiet?: boolean };
      'sp-textarea': SpectrumAttributes & { value?: string; placeholder?: string };
      'sp-picker': SpectrumAttributes & { label?: string; placeholder?: string; size?: string };
      'sp-menu': SpectrumAttributes;
      'sp-menu-item': SpectrumAttributes & { value?: string; selected?: boolean };
      'sp-progressbar': SpectrumAttributes & { max?: number; value?: number; 'show-value'?: boolean };
      'sp-checkbox': SpectrumAttributes & { checked?: boolean };
    }
  }
}
