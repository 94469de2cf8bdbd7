/**
 * The hub's liveness and readiness answers, for load balancers, orchestrators
 * and the operator's checks (docs/operations.md).
 *
 * @example
 * const ready = await http.get(ROUTES.readyz, ReadinessSchema); // { status: 'ready', postgres: 'ok', … }
 */
import { Type, type Static } from '@sinclair/typebox';

export const LivenessSchema = Type.Object({ status: Type.Literal('ok') });

const Check = Type.Union([Type.Literal('ok'), Type.Literal('down')]);
/** 200 when ready, 503 otherwise, with the same body. */
export const ReadinessSchema = Type.Object({
  status: Type.String(),
  postgres: Check,
  redis: Check,
  migrations: Check,
  /** `halted` while new messages are refused (503 LOG_HALTED); `logHalt` says why. */
  log: Type.Union([Type.Literal('ok'), Type.Literal('halted')]),
  logHalt: Type.Optional(Type.Array(Type.String())),
  /** `alarm` while a configured witness has refused a checkpoint as a fork or an invalid proof. */
  witnesses: Type.Union([Type.Literal('ok'), Type.Literal('alarm')]),
});
export type Readiness = Static<typeof ReadinessSchema>;
