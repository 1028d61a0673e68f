import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { WebhookDeliveryStatus } from '../../../webhooks/webhook-delivery.entity';
import { connectionType, DateTimeScalar } from './common';
import type { RegisterEndpointCommand, UpdateEndpointCommand } from '../../../webhooks/webhook.service';

registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  valuesConfig: {
    PENDING: { description: 'Owed: waiting for its next attempt, or being attempted' },
    DELIVERED: { description: 'The receiver answered 2xx' },
    FAILED: { description: 'Every attempt failed; retryWebhookDelivery owes it again' },
  },
});

@ObjectType('WebhookEndpoint', { description: 'A receiver of order timeline events, signed with its own secret' })
export class WebhookEndpointGql {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  url!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => [String], { description: 'Order event types (OrderEventType names) it receives, or ["*"] for all' })
  eventTypes!: string[];

  @Field(() => Boolean, { description: 'A disabled endpoint is owed nothing new, and its owed deliveries wait' })
  enabled!: boolean;

  @Field(() => Int, { description: 'Goes up on every change; pass as expectedVersion' })
  version!: number;

  @Field(() => String, {
    nullable: true,
    description: 'The signing secret, shown only in the answer of registerWebhookEndpoint and rotateWebhookSecret; null everywhere else',
  })
  secret!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => DateTimeScalar)
  updatedAt!: Date;

  @Field(() => DateTimeScalar)
  secretRotatedAt!: Date;
}

@ObjectType('WebhookDelivery', { description: 'One event owed to one endpoint, and how its attempts went' })
export class WebhookDeliveryGql {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  endpointId!: string;

  @Field(() => String, { description: "The order event id: the body's id and the x-oms-event-id header" })
  eventId!: string;

  @Field(() => String)
  eventType!: string;

  @Field(() => ID, { nullable: true })
  orderId!: string | null;

  @Field(() => WebhookDeliveryStatus)
  status!: WebhookDeliveryStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => String, { nullable: true, description: 'Why the latest failed attempt failed (kept after a later success)' })
  lastError!: string | null;

  @Field(() => Int, { nullable: true, description: 'HTTP status of the latest answer, if any came' })
  lastHttpStatus!: number | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lastAttemptAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it is attempted next (PENDING only)' })
  nextAttemptAt!: Date | null;

  @Field(() => DateTimeScalar, { nullable: true })
  deliveredAt!: Date | null;

  @Field(() => DateTimeScalar)
  createdAt!: Date;

  @Field(() => String, { description: 'The JSON body sent: { id, type, occurredAt, data }' })
  body!: string;
}

export const WebhookDeliveryConnection = connectionType('WebhookDelivery', WebhookDeliveryGql);

@InputType('RegisterWebhookEndpointInput')
export class RegisterWebhookEndpointInput implements RegisterEndpointCommand {
  @Field(() => String, { description: 'http or https; loopback and private addresses only where WEBHOOK_ALLOW_PRIVATE allows' })
  url!: string;

  @Field(() => [String], { description: 'OrderEventType names, or "*" for every type' })
  eventTypes!: string[];

  @Field(() => String, { nullable: true })
  description?: string | null;
}

@InputType('UpdateWebhookEndpointInput')
export class UpdateWebhookEndpointInput implements UpdateEndpointCommand {
  @Field(() => ID)
  id!: string;

  @Field(() => Int, { nullable: true, description: 'When given, a stale version is CONFLICT and changes nothing' })
  expectedVersion?: number | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => [String], { nullable: true })
  eventTypes?: string[] | null;

  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;
}
