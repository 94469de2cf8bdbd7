/** The help screens, rendered from the command declarations in the person's language. */
import type { Command, OptionSpec } from './command.js';
import { t, type Lang } from './i18n.js';

function columns(rows: [string, string][], indent = '  '): string {
  const width = Math.min(Math.max(...rows.map(([a]) => a.length)) + 2, 38);
  return rows.map(([a, b]) => (a.length + 2 > width ? `${indent}${a}\n${indent}${' '.repeat(width)}${b}` : `${indent}${a.padEnd(width)}${b}`)).join('\n');
}

function optionRows(lang: Lang, options: Record<string, OptionSpec>): [string, string][] {
  return Object.entries(options).map(([name, o]) => {
    const short = o.short ? `-${o.short}, ` : '';
    const value = o.value ? ` ${t(lang, o.value)}` : '';
    return [`${short}--${name}${value}`, t(lang, o.help)];
  });
}

function usageLine(lang: Lang, c: Command): string {
  const args = c.synopsis ? ` ${t(lang, c.synopsis)}` : c.args ? ` ${t(lang, c.args)}` : '';
  return `vigie ${c.words.join(' ')}${args} [${t(lang, 'arg.options')}]`;
}

export function generalHelp(lang: Lang, commands: Command[], globals: Record<string, OptionSpec>): string {
  return [
    t(lang, 'help.title'),
    '',
    `${t(lang, 'help.usage')} vigie <${t(lang, 'arg.command')}> [${t(lang, 'arg.options')}]`,
    '',
    t(lang, 'help.commands'),
    columns(commands.map((c) => [`${c.words.join(' ')}${c.args ? ` ${t(lang, c.args)}` : ''}`, t(lang, c.summary)])),
    '',
    t(lang, 'help.globalOptions'),
    columns(optionRows(lang, globals)),
    '',
    t(lang, 'help.environment'),
    t(lang, 'help.environmentList'),
    '',
    t(lang, 'help.exitCodes'),
    t(lang, 'help.more'),
    '',
  ].join('\n');
}

export function groupHelp(lang: Lang, commands: Command[]): string {
  return [
    `${t(lang, 'help.usage')} vigie ${commands[0]!.words[0]} <${t(lang, 'arg.command')}>`,
    '',
    t(lang, 'help.commands'),
    columns(commands.map((c) => [usageLine(lang, c).slice('vigie '.length), t(lang, c.summary)])),
    '',
    t(lang, 'help.more'),
    '',
  ].join('\n');
}

export function commandHelp(lang: Lang, c: Command, globals: Record<string, OptionSpec>): string {
  const parts = [`${t(lang, 'help.usage')} ${usageLine(lang, c)}`, '', t(lang, c.summary)];
  if (c.details) parts.push('', t(lang, c.details));
  if (Object.keys(c.options).length) parts.push('', t(lang, 'help.options'), columns(optionRows(lang, c.options)));
  parts.push('', t(lang, 'help.globalOptions'), columns(optionRows(lang, globals)), '');
  return parts.join('\n');
}
