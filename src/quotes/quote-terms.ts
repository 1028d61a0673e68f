import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlArray } from '../db/sql';
import type { FulfilmentPolicy } from '../orders/order.enums';

export interface QuoteTerms {
  unknownSkus: string[];
  /** An active warehouse ships to the region. */
  served: boolean;
  fulfilmentPolicy: FulfilmentPolicy;
}

/**
 * What a quote's request depends on, read in one statement: its SKUs known, its region served, and its fulfilment
 * policy chosen as placeOrder chooses it (the request's, else the strictest of its products', else its channel's,
 * else the deployment's default).
 */
export async function quoteTerms(
  em: EntityManager,
  request: { fulfilmentPolicy?: FulfilmentPolicy | null; channel: string; shipToRegion: string },
  skus: string[],
  defaultPolicy: FulfilmentPolicy,
): Promise<QuoteTerms> {
  const [row] = await em.execute(
    `with wanted as (select unnest(?::text[]) as sku)
     select (select array_agg(w.sku order by w.sku) from wanted w where not exists (select 1 from product p where p.sku = w.sku)) as unknown_skus,
            exists (select 1 from shipping_lane l join warehouse h on h.id = l.warehouse_id and h.active where l.region = ?) as served,
            coalesce(?::text,
              (select p.fulfilment_policy from product p join wanted w on w.sku = p.sku where p.fulfilment_policy is not null
               order by case p.fulfilment_policy when 'SHIP_COMPLETE' then 0 when 'SPLIT_ORDER' then 1 else 2 end limit 1),
              (select c.fulfilment_policy from sales_channel c where c.channel = ?),
              ?::text) as policy`,
    [sqlArray(skus), request.shipToRegion, request.fulfilmentPolicy ?? null, request.channel, defaultPolicy],
  );
  return { unknownSkus: row.unknown_skus ?? [], served: row.served, fulfilmentPolicy: row.policy };
}
