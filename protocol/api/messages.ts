/**
 * The messages routes' answers: an accepted envelope, where each recipient
 * stands (status), a stored receipt.
 *
 * @example
 * const status = await http.get(routePath(ROUTES.messageStatus, { id }), MessageStatusSchema);
 */
import { Type, type Static } from '@sinclair/typebox';
import { UuidSchema } from '../schemas.js';

export const MessageParamsSchema = Type.Object({ id: UuidSchema });

/** 202: the message is durable (DESIGN.md invariant 2); `duplicate` when this id was accepted before. */
export const MessageAcceptedSchema = Type.Object({ id: Type.String(), acceptedAt: Type.String(), duplicate: Type.Boolean() });
export type MessageAccepted = Static<typeof MessageAcceptedSchema>;

export const DELIVERY_STATES = ['accepted', 'pushed', 'delivered', 'acknowledged'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
/** One recipient inbox: accepted by the hub, pushed, received by a device, acknowledged by a person. */
export const DeliveryStatusSchema = Type.Object({
  inbox: Type.String(),
  state: Type.Union(DELIVERY_STATES.map((s) => Type.Literal(s))),
  pushedAt: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String(), Type.Null()]),
  deliveredBy: Type.Union([Type.String(), Type.Null()]),
  acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
  acknowledgedBy: Type.Union([Type.String(), Type.Null()]),
});
export type DeliveryStatus = Static<typeof DeliveryStatusSchema>;
/** GET /v1/messages/:id/status: the sender's agency sees every recipient, a recipient agency its own. */
export const MessageStatusSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  acceptedAt: Type.String(),
  recipients: Type.Array(DeliveryStatusSchema),
});
export type MessageStatus = Static<typeof MessageStatusSchema>;

export const ReceiptStoredSchema = Type.Object({ stored: Type.Boolean() });
export type ReceiptStored = Static<typeof ReceiptStoredSchema>;
