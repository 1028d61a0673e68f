import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Page } from '../../../shared/pagination';
import { WebhookDelivery, WebhookDeliveryStatus } from '../../../webhooks/webhook-delivery.entity';
import type { WebhookEndpoint } from '../../../webhooks/webhook-endpoint.entity';
import { Roles } from '../../auth';
import type { ApiContext } from '../../context';
import {
  RegisterWebhookEndpointInput,
  UpdateWebhookEndpointInput,
  WebhookDeliveryConnection,
  WebhookDeliveryGql,
  WebhookEndpointGql,
} from '../types/webhook';

const endpointView = (endpoint: WebhookEndpoint, secret: string | null = null): WebhookEndpointGql => ({
  id: endpoint.id,
  url: endpoint.url,
  description: endpoint.description ?? null,
  eventTypes: endpoint.eventTypes,
  enabled: endpoint.enabled,
  version: endpoint.version,
  secret,
  createdAt: endpoint.createdAt,
  updatedAt: endpoint.updatedAt,
  secretRotatedAt: endpoint.secretRotatedAt,
});

const deliveryView = (d: WebhookDelivery): WebhookDeliveryGql => {
  const { id, type, occurredAt, data } = d.payload as Record<string, unknown>;
  return {
    id: d.id,
    endpointId: d.endpoint.id,
    eventId: d.eventId,
    eventType: d.eventType,
    orderId: d.orderId ?? null,
    status: d.status,
    attempts: d.attempts,
    lastError: d.lastError ?? null,
    lastHttpStatus: d.lastHttpStatus ?? null,
    lastAttemptAt: d.lastAttemptAt ?? null,
    nextAttemptAt: d.nextAttemptAt ?? null,
    deliveredAt: d.deliveredAt ?? null,
    createdAt: d.createdAt,
    body: JSON.stringify({ id, type, occurredAt, data }),
  };
};

/** Outbound webhooks for accounting and ERP systems: ops (and admin) register endpoints and read the delivery log. */
@Resolver(() => WebhookEndpointGql)
export class WebhookResolver {
  @Authorized(Roles.OPERATIONS)
  @Query(() => [WebhookEndpointGql], { description: 'Every registered webhook endpoint, oldest first (secrets are never shown here)' })
  async webhookEndpoints(@Ctx() ctx: ApiContext): Promise<WebhookEndpointGql[]> {
    return (await ctx.services.webhooks.list(ctx.em)).map((endpoint) => endpointView(endpoint));
  }

  @Authorized(Roles.OPERATIONS)
  @Query(() => WebhookDeliveryConnection, { description: 'The delivery log, newest first' })
  async webhookDeliveries(
    @Arg('endpointId', () => ID, { nullable: true }) endpointId: string | null,
    @Arg('status', () => WebhookDeliveryStatus, { nullable: true }) status: WebhookDeliveryStatus | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<WebhookDeliveryGql>> {
    const page = await ctx.services.webhooks.deliveries(
      ctx.em,
      { endpointId, status },
      { first, after, maxPageSize: ctx.services.config.maxPageSize },
    );
    return { ...page, edges: page.edges.map((edge) => ({ cursor: edge.cursor, node: deliveryView(edge.node) })) };
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => WebhookEndpointGql, { description: 'Registers an endpoint; the answer shows its signing secret, this once' })
  async registerWebhookEndpoint(
    @Arg('input', () => RegisterWebhookEndpointInput) input: RegisterWebhookEndpointInput,
    @Ctx() ctx: ApiContext,
  ): Promise<WebhookEndpointGql> {
    const { endpoint, secret } = await ctx.services.webhooks.register(input);
    return endpointView(endpoint, secret);
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => WebhookEndpointGql, { description: 'Enables or disables an endpoint, or changes its event types, URL or description' })
  async updateWebhookEndpoint(
    @Arg('input', () => UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Ctx() ctx: ApiContext,
  ): Promise<WebhookEndpointGql> {
    return endpointView(await ctx.services.webhooks.update(input));
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => WebhookEndpointGql, { description: 'A new signing secret, shown this once; every later attempt is signed with it' })
  async rotateWebhookSecret(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<WebhookEndpointGql> {
    const { endpoint, secret } = await ctx.services.webhooks.rotateSecret(id);
    return endpointView(endpoint, secret);
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => Boolean, { description: 'Removes the endpoint and its delivery log' })
  async deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<boolean> {
    await ctx.services.webhooks.delete(id);
    return true;
  }

  @Authorized(Roles.OPERATIONS)
  @Mutation(() => WebhookDeliveryGql, { description: 'A FAILED delivery is owed again, with its attempts back' })
  async retryWebhookDelivery(@Arg('deliveryId', () => ID) deliveryId: string, @Ctx() ctx: ApiContext): Promise<WebhookDeliveryGql> {
    return deliveryView(await ctx.services.webhooks.retry(deliveryId));
  }
}
