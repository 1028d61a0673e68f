import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { pageOfEntities } from '../db/entity-page';
import { conflict, notFound } from '../shared/errors';
import { isUuid } from '../shared/input-checks';
import type { Page, PageRequest } from '../shared/pagination';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { normaliseEventTypes } from './webhook-event-types';
import { encryptWebhookSecret, generateWebhookSecret } from './webhook-secrets';
import { checkWebhookTarget, parseWebhookUrl } from './webhook-url';

export interface WebhookSettings {
  allowPrivate: boolean;
  secretKey: string;
}

export interface RegisterEndpointCommand {
  url: string;
  eventTypes: string[];
  description?: string | null;
}

export interface UpdateEndpointCommand {
  id: string;
  expectedVersion?: number | null;
  url?: string | null;
  eventTypes?: string[] | null;
  description?: string | null;
  enabled?: boolean | null;
}

/** An endpoint with its secret in clear: only the answer of registering or rotating carries one. */
export interface EndpointWithSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

export interface DeliveryFilter {
  endpointId?: string | null;
  status?: WebhookDeliveryStatus | null;
}

/** Registering, changing and listing webhook endpoints, and reading and retrying their deliveries. */
export class WebhookService {
  constructor(
    private readonly orm: MikroORM,
    private readonly settings: WebhookSettings,
  ) {}

  async register(command: RegisterEndpointCommand): Promise<EndpointWithSecret> {
    const url = await this.checkedUrl(command.url, 'input.url');
    const eventTypes = normaliseEventTypes(command.eventTypes, 'input.eventTypes');
    const secret = generateWebhookSecret();
    const em = this.orm.em.fork();
    const endpoint = new WebhookEndpoint();
    endpoint.url = url;
    endpoint.eventTypes = eventTypes;
    endpoint.description = command.description ?? null;
    endpoint.secretCiphertext = encryptWebhookSecret(secret, this.settings.secretKey);
    em.persist(endpoint);
    await em.flush();
    return { endpoint, secret };
  }

  async update(command: UpdateEndpointCommand): Promise<WebhookEndpoint> {
    const url = command.url == null ? null : await this.checkedUrl(command.url, 'input.url');
    const eventTypes = command.eventTypes == null ? null : normaliseEventTypes(command.eventTypes, 'input.eventTypes');
    return this.orm.em.fork().transactional(async (em) => {
      const endpoint = await lockEndpoint(em, command.id);
      if (command.expectedVersion != null && command.expectedVersion !== endpoint.version) {
        throw conflict(`Webhook endpoint ${endpoint.id} has changed since version ${command.expectedVersion}: it is at version ${endpoint.version}`, {
          expectedVersion: command.expectedVersion,
          currentVersion: endpoint.version,
        });
      }
      if (url !== null) endpoint.url = url;
      if (eventTypes !== null) endpoint.eventTypes = eventTypes;
      if (command.description !== undefined) endpoint.description = command.description;
      if (command.enabled != null) endpoint.enabled = command.enabled;
      endpoint.version += 1;
      endpoint.updatedAt = new Date();
      return endpoint;
    });
  }

  /** A new secret at once: the next attempt of every delivery is signed with it. */
  async rotateSecret(id: string): Promise<EndpointWithSecret> {
    const secret = generateWebhookSecret();
    const endpoint = await this.orm.em.fork().transactional(async (em) => {
      const found = await lockEndpoint(em, id);
      found.secretCiphertext = encryptWebhookSecret(secret, this.settings.secretKey);
      found.secretRotatedAt = new Date();
      found.updatedAt = new Date();
      found.version += 1;
      return found;
    });
    return { endpoint, secret };
  }

  /** Removes the endpoint and its delivery log; what it was still owed is not sent. */
  async delete(id: string): Promise<void> {
    const [row] = await this.orm.em.fork().execute(`delete from webhook_endpoint where id = ? returning id`, [requireId(id)]);
    if (!row) throw notFound(`No webhook endpoint has the id ${id}`);
  }

  list(em: EntityManager): Promise<WebhookEndpoint[]> {
    return em.find(WebhookEndpoint, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** The delivery log, newest first. */
  async deliveries(em: EntityManager, filter: DeliveryFilter, page: PageRequest): Promise<Page<WebhookDelivery>> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.endpointId != null) {
      where.push('t.endpoint_id = ?');
      params.push(requireId(filter.endpointId));
    }
    if (filter.status != null) {
      where.push('t.status = ?');
      params.push(filter.status);
    }
    return pageOfEntities(em, WebhookDelivery, 'webhook_delivery', { where, params }, 't.created_at desc, t.id desc', page);
  }

  /** A FAILED delivery is owed again, with its attempts back; anything else is CONFLICT. */
  async retry(deliveryId: string): Promise<WebhookDelivery> {
    requireId(deliveryId);
    // One transaction: the answer shows the state the retry set, before any dispatcher claims the row.
    return this.orm.em.fork().transactional(async (em) => {
      const [row] = await em.execute(
        `update webhook_delivery set status = 'PENDING', attempts = 0, next_attempt_at = now(), claim_token = null
         where id = ? and status = 'FAILED' returning id`,
        [deliveryId],
      );
      const delivery = await em.findOne(WebhookDelivery, { id: deliveryId });
      if (!delivery) throw notFound(`No webhook delivery has the id ${deliveryId}`);
      if (!row)
        throw conflict(`Webhook delivery ${deliveryId} is ${delivery.status}: only a FAILED delivery can be retried`, { status: delivery.status });
      return delivery;
    });
  }

  private async checkedUrl(raw: string, field: string): Promise<string> {
    const url = parseWebhookUrl(raw, field);
    await checkWebhookTarget(url, this.settings.allowPrivate, field);
    return url.toString();
  }
}

function requireId(id: string): string {
  if (!isUuid(id)) throw notFound(`Nothing has the id ${JSON.stringify(String(id).slice(0, 40))} (ids are UUIDs)`);
  return id;
}

async function lockEndpoint(em: EntityManager, id: string): Promise<WebhookEndpoint> {
  requireId(id);
  const endpoint = await em.findOne(WebhookEndpoint, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!endpoint) throw notFound(`No webhook endpoint has the id ${id}`);
  return endpoint;
}
