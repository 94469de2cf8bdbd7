#!/usr/bin/env node
// The `vigie` command. It runs the TypeScript sources through tsx so that
// `npx vigie` works from a checkout without a build step.
//
// The large plain-JS dependencies are imported before tsx registers its
// loader hooks: every module loaded through the hooks costs a round trip to
// the loader thread, and TypeBox alone is some 260 modules. Loaded first, they
// are already in the module map when the TypeScript sources import them
// (same URLs, same instances), which halves the start-up time of each command.
await Promise.all([import('@sinclair/typebox'), import('@sinclair/typebox/value'), import('libsodium-wrappers-sumo')]);
const { register } = await import('tsx/esm/api');
register();
const { run } = await import('./main.ts');
const code = await run(process.argv.slice(2), process.env);
process.exitCode = code;
// The command is done: a lingering keep-alive socket must not keep the shell waiting.
setTimeout(() => process.exit(code), 1000).unref();
