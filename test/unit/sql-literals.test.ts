import { describe, expect, it } from 'vitest';
import { sqlArray, sqlStatusList } from '../../src/db/sql';
import { INBOUND_PURCHASE_ORDER_STATUSES, PurchaseOrderStatus } from '../../src/purchasing/purchase-order.entity';
import { OPEN_SHIPMENT_STATUSES, ShipmentStatus } from '../../src/shipments/shipment.entity';
import { IN_FLIGHT_TRANSFER_STATUSES, TransferStatus } from '../../src/transfers/transfer.entity';

describe('SQL literals', () => {
  it('writes one array literal for text and numbers, escaping quotes and backslashes', () => {
    expect(sqlArray(['a', 'b"c', 'd\\e'])).toBe('{"a","b\\"c","d\\\\e"}');
    expect(sqlArray([3, 1, 2])).toBe('{"3","1","2"}');
    expect(sqlArray(new Set<string>())).toBe('{}');
  });

  it('lists the named status sets from their enums', () => {
    expect(sqlStatusList(OPEN_SHIPMENT_STATUSES)).toBe(`('${ShipmentStatus.PENDING}','${ShipmentStatus.READY}')`);
    expect(INBOUND_PURCHASE_ORDER_STATUSES).toEqual([PurchaseOrderStatus.OPEN, PurchaseOrderStatus.PARTIALLY_RECEIVED]);
    expect(IN_FLIGHT_TRANSFER_STATUSES).toEqual([TransferStatus.PLANNED, TransferStatus.DISPATCHED]);
  });
});
