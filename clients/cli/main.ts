/**
 * `vigie`: the command-line client of the Vigie hub. This file finds the
 * command in the line, parses its options with node:util parseArgs, builds
 * the context (language, hub, key directory) and turns every expected error
 * into a translated sentence and an exit code: 0 ok, 1 error (a refusal by
 * the hub included, explained), 2 usage, 3 timeout, 4 a problem found by a
 * check (disclosure log, receipt, protocol signature).
 */
import { parseArgs } from 'node:util';
import { agencyCommands } from './commands/agency.js';
import { assessCommands } from './commands/assess.js';
import { auditCommands } from './commands/audit.js';
import { reconcileCommands } from './commands/reconcile.js';
import { auditRegisterCommands } from './commands/audit-register.js';
import { consentCommands } from './commands/consent.js';
import { keysCommands } from './commands/keys.js';
import { listenCommands } from './commands/listen.js';
import { memberCommands } from './commands/member.js';
import { messageCommands } from './commands/messages.js';
import { operatorCommands } from './commands/operator.js';
import { protocolCommands } from './commands/protocol.js';
import { sendCommands } from './commands/send.js';
import { witnessCommands } from './commands/witness.js';
import type { Command, OptionSpec, Values } from './command.js';
import { Context, processIo, resolveHub, resolveKeyDir, type Io } from './context.js';
import { EXIT, UsageError, describeError, type ExitCode } from './errors.js';
import { parseLang, t, type Lang } from './i18n.js';
import { commandHelp, generalHelp, groupHelp } from './help.js';

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  hub: { type: 'string', value: 'arg.url', help: 'opt.hub' },
  keys: { type: 'string', value: 'arg.dir', help: 'opt.keys' },
  lang: { type: 'string', value: 'arg.lang', help: 'opt.lang' },
  json: { type: 'boolean', help: 'opt.json' },
  help: { type: 'boolean', short: 'h', help: 'opt.help' },
};

export const COMMANDS: Command[] = [
  ...keysCommands,
  ...operatorCommands,
  ...agencyCommands,
  ...memberCommands,
  ...protocolCommands,
  ...consentCommands,
  ...assessCommands,
  ...sendCommands,
  ...listenCommands,
  ...messageCommands,
  ...witnessCommands,
  ...auditCommands,
  ...reconcileCommands,
  ...auditRegisterCommands,
];

const takesValue = (arg: string) => {
  const name = arg.startsWith('--') ? arg.slice(2) : null;
  return name !== null && !name.includes('=') && GLOBAL_OPTIONS[name]?.type === 'string';
};

/** `--lang` as written on the line, read before anything else so that even usage errors are in it. */
function langFlag(argv: string[]): string | undefined {
  let flag: string | undefined;
  argv.forEach((arg, i) => {
    if (arg === '--lang') flag = argv[i + 1];
    else if (arg.startsWith('--lang=')) flag = arg.slice(7);
  });
  return flag;
}

/** Splits the leading command words (global options may come before them) from the rest. */
function splitWords(argv: string[]): { words: string[]; rest: string[] } {
  const words: string[] = [];
  const rest: string[] = [];
  let leading = true;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg.startsWith('-') && arg !== '-') {
      rest.push(arg);
      const name = arg.replace(/^--?/, '').split('=')[0]!;
      if (takesValue(arg) && i + 1 < argv.length) rest.push(argv[++i]!);
      else if (!(name in GLOBAL_OPTIONS) && name !== 'h') leading = false;
      continue;
    }
    if (leading && words.length < 2) words.push(arg);
    else {
      leading = false;
      rest.push(arg);
    }
  }
  return { words, rest };
}

function parseSpec(options: Record<string, OptionSpec>) {
  return Object.fromEntries(
    Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
  );
}

/** parseArgs errors, as usage errors naming the option. */
function parseLine(args: string[], options: Record<string, OptionSpec>) {
  try {
    return parseArgs({ args, options: parseSpec(options), allowPositionals: true, strict: true });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    const option = /'(-[^' ]+)/.exec((err as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError('usage.unknownOption', { option });
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError('usage.optionValue', { option });
    throw new UsageError('usage.invalidLine');
  }
}

/** Runs one command line; resolves to the exit code. */
export async function run(argv: string[], env: NodeJS.ProcessEnv, io: Io = processIo): Promise<ExitCode> {
  const flag = langFlag(argv);
  const lang: Lang = parseLang(flag) ?? parseLang(env.VIGIE_LANG) ?? 'fr';
  let hub = env.VIGIE_HUB ?? '';
  let command: Command | undefined;
  try {
    if (flag !== undefined && !parseLang(flag)) throw new UsageError('usage.badLang', { value: flag });
    const { words, rest } = splitWords(argv);
    if (words[0] === 'help') {
      words.shift();
      rest.push('--help');
    }
    command = COMMANDS.find((c) => c.words.length === 2 && c.words[0] === words[0] && c.words[1] === words[1]) ??
      COMMANDS.find((c) => c.words.length === 1 && c.words[0] === words[0]);
    const wantsHelp = rest.includes('--help') || rest.includes('-h');
    if (!command) {
      const group = COMMANDS.filter((c) => c.words.length === 2 && c.words[0] === words[0]);
      if (words.length === 0 || group.length > 0) {
        const text = words.length === 0 ? generalHelp(lang, COMMANDS, GLOBAL_OPTIONS) : groupHelp(lang, group);
        if (wantsHelp) {
          io.stdout(text);
          return EXIT.ok;
        }
        if (words.length > 1) io.stderr(`vigie: ${t(lang, 'usage.unknownCommand', { command: words.join(' ') })}\n\n`);
        io.stderr(text);
        return EXIT.usage;
      }
      throw new UsageError('usage.unknownCommand', { command: words.join(' ') });
    }
    const extra = words.slice(command.words.length);
    const { values, positionals } = parseLine([...extra, ...rest], { ...GLOBAL_OPTIONS, ...command.options });
    if (values.help) {
      io.stdout(commandHelp(lang, command, GLOBAL_OPTIONS));
      return EXIT.ok;
    }
    if (positionals.length < command.positionals.min) throw new UsageError('usage.missingArgument', { arg: command.args ? t(lang, command.args) : '' });
    if (positionals.length > command.positionals.max) throw new UsageError('usage.extraArgument', { value: positionals[command.positionals.max]! });
    hub = resolveHub(values.hub as string | undefined, env);
    const ctx = new Context(lang, hub, resolveKeyDir(values.keys as string | undefined, env), values.json === true, env, io);
    return (await command.run(ctx, values as Values, positionals)) ?? EXIT.ok;
  } catch (err) {
    const { text, exitCode } = describeError(err, lang, hub);
    io.stderr(`vigie: ${text}\n`);
    if (exitCode === EXIT.usage) io.stderr(`${t(lang, 'usage.seeHelp', { command: command ? command.words.join(' ') + ' ' : '' })}\n`);
    if (exitCode === EXIT.error && env.VIGIE_DEBUG === '1' && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return exitCode;
  }
}
