/**
 * A schema's check, made once per schema. By default `Value.Check`
 * interprets the schema, which runs anywhere (a browser under the console's
 * content security policy allows no `eval`); where code may be compiled, the
 * caller installs a compiler (`compileChecksWith`: the SDK on Node installs
 * TypeBox's, several times cheaper per value). Both apply the same rules,
 * formats included.
 *
 * @example
 * const isHeader = checkerOf(EnvelopeHeaderSchema);
 * if (!isHeader(header)) throw new TypeError('header invalid');
 */
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

type Check = (value: unknown) => boolean;

let compile: ((schema: TSchema) => Check) | null = null;
const checkers = new WeakMap<TSchema, Check>();

/** Checks made from now on are compiled by `compiler` (one already made stays as it is). */
export function compileChecksWith(compiler: (schema: TSchema) => Check): void {
  compile = compiler;
}

export function checkerOf<S extends TSchema>(schema: S): (value: unknown) => value is Static<S> {
  let check = checkers.get(schema);
  if (!check) {
    check = compile ? compile(schema) : (value) => Value.Check(schema, value);
    checkers.set(schema, check);
  }
  return check as (value: unknown) => value is Static<S>;
}
