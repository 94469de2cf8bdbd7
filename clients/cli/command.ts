/**
 * How a command is declared: its words, its options (each with a translated
 * description), and what it does. `main.ts` parses the line with
 * node:util parseArgs against this declaration and renders the help from it.
 */
import type { Context } from './context.js';
import { UsageError, type ExitCode } from './errors.js';
import type { MessageKey } from './i18n.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in the help: `<seconds>`. */
  value?: MessageKey;
  help: MessageKey;
}

export type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

export interface Command {
  /** The command words: ['member', 'enrol']. */
  words: string[];
  /** Help: what follows the words in the usage line, e.g. `<agency-id>`. */
  args?: MessageKey;
  /** Help: the full usage line after the words, with the required options. */
  synopsis?: MessageKey;
  summary: MessageKey;
  details?: MessageKey;
  options: Record<string, OptionSpec>;
  positionals: { min: number; max: number };
  run(ctx: Context, values: Values, positionals: string[]): Promise<ExitCode | void>;
}

export function stringOption(values: Values, name: string): string | undefined {
  const v = values[name];
  if (Array.isArray(v)) return v.length ? String(v[v.length - 1]) : undefined;
  return typeof v === 'string' ? v : undefined;
}

export function requiredOption(values: Values, name: string): string {
  const v = stringOption(values, name);
  if (v === undefined || v === '') throw new UsageError('usage.missingOption', { option: `--${name}` });
  return v;
}

/** `--to a,b --to c` → ['a', 'b', 'c'], without empties or duplicates. */
export function listOption(values: Values, name: string): string[] {
  const v = values[name];
  const raw = Array.isArray(v) ? v : v === undefined ? [] : [v];
  const items = raw.flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);
  return [...new Set(items)];
}

export function flag(values: Values, name: string): boolean {
  return values[name] === true;
}
