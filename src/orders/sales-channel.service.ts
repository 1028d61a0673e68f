import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { bumpReferenceVersion } from '../reference-data/reference-cache';
import { badInput } from '../shared/errors';
import { FulfilmentPolicy } from './order.enums';

export interface SalesChannelView {
  channel: string;
  fulfilmentPolicy: FulfilmentPolicy | null;
}

// eslint-disable-next-line no-control-regex
const CHANNEL_PATTERN = /^[^\u0000-\u001f\u007f]{1,50}$/;

/**
 * Defaults per sales channel. Which fulfilment policy an order gets when it names none: the strictest its products
 * choose (SHIP_COMPLETE before SPLIT_ORDER before SHIP_PARTIAL), else its channel's, else the deployment's
 * (`allocationSettings.defaultFulfilmentPolicy`); resolved in `placeOrder`'s one statement.
 */
export class SalesChannelService {
  constructor(private readonly orm: MikroORM) {}

  async list(em: EntityManager): Promise<SalesChannelView[]> {
    const rows = await em.execute<Array<{ channel: string; fulfilment_policy: FulfilmentPolicy | null }>>(
      `select channel, fulfilment_policy from sales_channel order by channel`,
    );
    return rows.map((r) => ({ channel: r.channel, fulfilmentPolicy: r.fulfilment_policy }));
  }

  /** Sets (or with null clears) a channel's default policy; orders already placed keep theirs. */
  async setFulfilmentPolicy(channel: string, policy: FulfilmentPolicy | null): Promise<SalesChannelView> {
    const name = (channel ?? '').trim();
    if (!CHANNEL_PATTERN.test(name)) throw badInput('channel must be 1 to 50 characters', { field: 'channel' });
    if (policy !== null && !Object.values(FulfilmentPolicy).includes(policy)) throw badInput('fulfilmentPolicy is not a FulfilmentPolicy');
    await this.orm.em.fork().transactional(async (em) => {
      await em.execute(
        `insert into sales_channel (channel, fulfilment_policy) values (?, ?)
         on conflict (channel) do update set fulfilment_policy = excluded.fulfilment_policy, updated_at = now()`,
        [name, policy],
      );
      await bumpReferenceVersion(em);
    });
    return { channel: name, fulfilmentPolicy: policy };
  }
}
