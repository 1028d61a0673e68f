import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

/**
 * A receiver of order timeline events (an accounting or ERP system). Its signing secret is kept encrypted
 * (`webhook-secrets.ts`): the API shows it once, the dispatcher decrypts it to sign.
 */
@Entity({ tableName: 'webhook_endpoint' })
export class WebhookEndpoint {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  url!: string;

  @Property({ type: 'text', nullable: true })
  description?: string | null;

  /** Order event type names, or `*` for every type. */
  @Property({ type: 'text[]' })
  eventTypes!: string[];

  @Property({ type: 'boolean', default: true })
  enabled: boolean = true;

  /** `v1:<iv>:<tag>:<ciphertext>`, AES-256-GCM under config.webhookSecretKey. */
  @Property({ type: 'text' })
  secretCiphertext!: string;

  /** Goes up by one on every change (`expectedVersion` on updateWebhookEndpoint). */
  @Property({ type: 'integer', default: 1 })
  version: number = 1;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  secretRotatedAt: Date = new Date();
}
