import type { EntityManager } from '@mikro-orm/postgresql';
import { sqlArray } from '../db/sql';
import { OPEN_SHIPMENT_STATUSES } from '../shipments/shipment.enums';
import { sqlStatusList } from '../db/sql';

/**
 * A shipment may be picked (READY) unless its order is on hold or a transfer it waits for has not arrived;
 * otherwise it stays PENDING. Called after anything that changes either.
 */
export async function refreshShipmentReadiness(em: EntityManager, orderIds: string[]): Promise<void> {
  if (orderIds.length === 0) return;
  await em.execute(
    `update shipment s set status = case
        when o.status = 'ON_HOLD' then 'PENDING'
        when exists (select 1 from allocation a join transfer t on t.id = a.transfer_id
                     where a.shipment_id = s.id and a.status = 'ACTIVE' and t.status <> 'RECEIVED') then 'PENDING'
        else 'READY' end
     from sales_order o
     where o.id = s.order_id and s.order_id = any(?::uuid[]) and s.status in ${sqlStatusList(OPEN_SHIPMENT_STATUSES)}`,
    [sqlArray(orderIds)],
  );
}
