/**
 * The frames of the member stream (docs/wire-format.md §15): `ready` once the
 * replay is done, then `message`, `receipt` and `notice` events, each with its
 * `seq` (the stream cursor, a decimal string: it is a bigint).
 *
 * @example
 * import { TypeCompiler } from '@sinclair/typebox/compiler';
 * TypeCompiler.Compile(StreamFrameSchema).Check(JSON.parse(text));
 */
import { Type, type Static } from '@sinclair/typebox';
import { EnvelopeSchema, InboxIdSchema, SignedReceiptSchema } from '../schemas.js';
import { CheckpointNoteSchema } from './log.js';

export const NOTICE_KINDS = ['unacknowledged', 'renotify', 'escalation', 'escalated', 'escalation_exhausted'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * What the hub says about a message's acknowledgement: to the sender
 * `unacknowledged` (the deadline passed, with `deadlineAt`), `escalated` (the
 * chain's next inboxes were `notified`), `escalation_exhausted`; to the
 * recipient `renotify`; to an escalation inbox `escalation` (with the
 * message's type, urgency, sender and acceptance time).
 */
export const NoticeSchema = Type.Object({
  kind: Type.Union(NOTICE_KINDS.map((k) => Type.Literal(k))),
  message: Type.String(),
  /** The recipient inbox whose acknowledgement is awaited. */
  recipient: Type.String(),
  step: Type.Integer({ minimum: 0 }),
  at: Type.String(),
  notified: Type.Optional(Type.Array(Type.String())),
  deadlineAt: Type.Optional(Type.String()),
  type: Type.Optional(Type.String()),
  urgency: Type.Optional(Type.String()),
  sender: Type.Optional(Type.Object({ agency: Type.String(), inbox: Type.String() })),
  acceptedAt: Type.Optional(Type.String()),
});
export type NoticeBody = Static<typeof NoticeSchema>;

const Seq = Type.String({ pattern: '^\\d{1,19}$' });

export const MessageEventSchema = Type.Object({
  type: Type.Literal('message'),
  seq: Seq,
  inbox: Type.String(),
  acceptedAt: Type.String(),
  envelope: EnvelopeSchema,
  /** Sent along on the live push: the log's newest checkpoint when the message was published, as GET /v1/log/checkpoint served it. */
  checkpoint: Type.Optional(CheckpointNoteSchema),
});
export const ReceiptEventSchema = Type.Object({ type: Type.Literal('receipt'), seq: Seq, inbox: Type.String(), message: Type.String(), receipt: SignedReceiptSchema });
export const NoticeEventSchema = Type.Object({ type: Type.Literal('notice'), seq: Seq, inbox: Type.String(), message: Type.String(), notice: NoticeSchema });
/** One event of an inbox's stream, as the hub stores, publishes and replays it. */
export const StreamEventSchema = Type.Union([MessageEventSchema, ReceiptEventSchema, NoticeEventSchema]);
export type StreamEvent = Static<typeof StreamEventSchema>;

/** Sent once the replay after the member's cursor is done: live events follow. */
export const ReadyFrameSchema = Type.Object({ type: Type.Literal('ready'), cursor: Seq });
/** Every frame the hub sends on the stream. */
export const StreamFrameSchema = Type.Union([ReadyFrameSchema, MessageEventSchema, ReceiptEventSchema, NoticeEventSchema]);
export type StreamFrame = Static<typeof StreamFrameSchema>;

/** The stream's query: the inboxes to follow (all the device's by default) and the cursor to resume after. */
export const StreamQuerySchema = Type.Object(
  {
    after: Type.Optional(Seq),
    inbox: Type.Optional(Type.Union([InboxIdSchema, Type.Array(InboxIdSchema, { maxItems: 64 })])),
  },
  { additionalProperties: false },
);
