/**
 * Colours of the TUI: one palette for layers and one for severities. With
 * colour off (NO_COLOR, --no-color) every lookup returns undefined and the UI
 * relies on text markers, bold and inverse only.
 */
import type { Layer, Severity } from '../model/analysis.js';

/** An ink colour name, or undefined for the terminal default. */
export type Colour = string | undefined;

/** Colour per layer (L7 magenta, L4 cyan, L3 blue, L2 green, config yellow). */
const LAYER: Record<Layer, string> = {
  L7: 'magenta',
  L4: 'cyan',
  L3: 'blueBright',
  L2: 'green',
  config: 'yellow',
};

/** Colour per severity (critical/high red, medium yellow, low/info default). */
const SEVERITY: Record<Severity, string | undefined> = {
  critical: 'redBright',
  high: 'red',
  medium: 'yellow',
  low: undefined,
  info: undefined,
};

/** The palette handed to views; `on` is false when colour is disabled. */
export interface Palette {
  on: boolean;
  layer(l: Layer): Colour;
  severity(s: Severity | undefined): Colour;
  /** Accent for headings and keys. */
  accent: Colour;
  /** Marks something wrong (asymmetric flow, rejected file). */
  bad: Colour;
  good: Colour;
  muted: Colour;
}

/** Build the palette; `noColor` or a non-empty NO_COLOR env var turns colours off. */
export function palette(noColor?: boolean, env: NodeJS.ProcessEnv = process.env): Palette {
  const on = !noColor && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '') && env.FORCE_COLOR !== '0';
  if (!on) {
    return {
      on,
      layer: () => undefined,
      severity: () => undefined,
      accent: undefined,
      bad: undefined,
      good: undefined,
      muted: undefined,
    };
  }
  return {
    on,
    layer: (l) => LAYER[l],
    severity: (s) => (s ? SEVERITY[s] : undefined),
    accent: 'cyan',
    bad: 'red',
    good: 'green',
    muted: 'gray',
  };
}

/** Four-letter severity tag shown in tables (readable without colour). */
export const SEV_TAG: Record<Severity, string> = {
  critical: 'CRIT',
  high: 'HIGH',
  medium: 'MED ',
  low: 'low ',
  info: 'info',
};
