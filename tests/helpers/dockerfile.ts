/**
 * A Dockerfile read the way `docker build` reads it, for tests that run on a
 * machine without a Docker engine: stages, and in each its WORKDIR, COPY,
 * RUN, ENV, HEALTHCHECK and CMD; and the build context as .dockerignore
 * filters it. Only what Vigie's Dockerfile uses is understood; anything else
 * is an error that names the line, so that a new instruction is taught here
 * before it can go untested.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export type Step =
  | { kind: 'WORKDIR'; path: string }
  | { kind: 'COPY'; from: string | null; sources: string[]; dest: string }
  | { kind: 'RUN'; command: string }
  | { kind: 'ENV'; vars: Record<string, string> };

export interface Stage {
  name: string;
  image: string;
  steps: Step[];
  /** Exec form only (JSON array), as a probe or a process this test can start. */
  cmd: string[] | null;
  healthcheck: string[] | null;
}

/** The Dockerfile's logical lines: comments dropped, backslash continuations joined. */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (/^\s*#/.test(line)) continue;
    if (line.endsWith('\\')) {
      current += `${line.slice(0, -1).trim()} `;
      continue;
    }
    current += line.trim();
    if (current.trim()) lines.push(current.trim());
    current = '';
  }
  if (current.trim()) lines.push(current.trim());
  return lines;
}

const execForm = (rest: string, line: string): string[] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(rest);
  } catch {
    throw new Error(`only the exec form (a JSON array) is understood here: ${line}`);
  }
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) throw new Error(`not a JSON array of strings: ${line}`);
  return parsed;
};

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const m = /^(\w+)\s+(.*)$/s.exec(line);
    if (!m) throw new Error(`unreadable Dockerfile line: ${line}`);
    const keyword = m[1]!.toUpperCase();
    const rest = m[2]!.trim();
    if (keyword === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!from) throw new Error(`unreadable FROM: ${line}`);
      stages.push({ name: from[2] ?? String(stages.length), image: from[1]!, steps: [], cmd: null, healthcheck: null });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`instruction before FROM: ${line}`);
    switch (keyword) {
      case 'WORKDIR':
        stage.steps.push({ kind: 'WORKDIR', path: rest });
        break;
      case 'COPY': {
        const words = rest.split(/\s+/);
        let from: string | null = null;
        while (words[0]?.startsWith('--')) {
          const flag = words.shift()!;
          if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
          else throw new Error(`COPY flag not understood here: ${line}`);
        }
        if (words.length < 2) throw new Error(`COPY needs a source and a destination: ${line}`);
        stage.steps.push({ kind: 'COPY', from, sources: words.slice(0, -1), dest: words.at(-1)! });
        break;
      }
      case 'RUN':
        stage.steps.push({ kind: 'RUN', command: rest });
        break;
      case 'ENV': {
        const vars: Record<string, string> = {};
        for (const pair of rest.match(/\S+=("[^"]*"|\S*)/g) ?? []) {
          const at = pair.indexOf('=');
          vars[pair.slice(0, at)] = pair.slice(at + 1).replace(/^"(.*)"$/, '$1');
        }
        if (!Object.keys(vars).length) throw new Error(`only ENV key=value is understood here: ${line}`);
        stage.steps.push({ kind: 'ENV', vars });
        break;
      }
      case 'CMD':
        stage.cmd = execForm(rest, line);
        break;
      case 'HEALTHCHECK': {
        const cmd = /\bCMD\s+(\[.*\])$/s.exec(rest);
        if (!cmd) throw new Error(`HEALTHCHECK without an exec-form CMD: ${line}`);
        stage.healthcheck = execForm(cmd[1]!, line);
        break;
      }
      // Metadata of the image: nothing to reproduce.
      case 'USER':
      case 'EXPOSE':
      case 'LABEL':
        break;
      default:
        throw new Error(`Dockerfile instruction not understood by tests/helpers/dockerfile.ts: ${line}`);
    }
  }
  return stages;
}

/** .dockerignore as a predicate on a path relative to the context (Docker's rule: a pattern excludes the path and all below it). */
export function dockerignore(text: string): (path: string) => boolean {
  const patterns = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((p) => {
      if (p.startsWith('!')) throw new Error(`.dockerignore exceptions (${p}) are not understood by tests/helpers/dockerfile.ts`);
      const glob = p.replace(/^\/+/, '').replace(/\/+$/, '');
      const source = glob
        .split('/')
        .map((part) => (part === '**' ? '.*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')))
        .join('/');
      return new RegExp(`^${source}(?:/.*)?$`);
    });
  return (path) => patterns.some((re) => re.test(path.split(sep).join('/')));
}

/** Copies a COPY instruction's sources the way Docker does: a directory's contents into the destination, files by name. */
export function copyInto(sources: { root: string; path: string }[], destination: string, ignored: (path: string) => boolean = () => false): void {
  const intoDir = sources.length > 1 || destination.endsWith('/') || (existsSync(destination) && statSync(destination).isDirectory());
  for (const { root, path } of sources) {
    const source = join(root, path);
    if (!existsSync(source)) throw new Error(`COPY source missing: ${path}`);
    const keep = (src: string) => !ignored(relative(root, src));
    if (statSync(source).isDirectory()) {
      mkdirSync(destination, { recursive: true });
      cpSync(source, destination, { recursive: true, filter: keep });
    } else {
      const target = intoDir ? join(destination, path.split('/').at(-1)!) : destination;
      mkdirSync(dirname(target), { recursive: true });
      if (keep(source)) cpSync(source, target);
    }
  }
}

export function readDockerfile(root: string): { stages: Stage[]; ignored: (path: string) => boolean } {
  const ignoreFile = join(root, '.dockerignore');
  return {
    stages: parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8')),
    ignored: existsSync(ignoreFile) ? dockerignore(readFileSync(ignoreFile, 'utf8')) : () => false,
  };
}
