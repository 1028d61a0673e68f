import { randomUUID } from 'node:crypto';

/**
 * The fuzzer's operations: every mutation, with valid inputs drawn from what exists so far and invalid ones
 * (unknown ids, zero and negative quantities, over-receipts, over-cancellations, wrong states, bad settings).
 * Pure generation from a seeded PRNG: `pick` and `chance` are the only randomness.
 * Invalid operations include hostile input (HOSTILE_INPUT_CLASSES), which must be refused like any other.
 */

export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function rng(seed: number): Rng {
  let state = seed >>> 0 || 1;
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
  };
}

/** What the fuzzer has seen exist, to aim valid operations at. */
export interface Known {
  warehouses: string[];
  skus: string[];
  orders: Array<{ id: string; skus: string[] }>;
  purchaseOrders: Array<{ id: string; sku: string }>;
  shipments: string[];
  transfers: string[];
}

export interface Operation {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  /** Sent twice with the same idempotency key; both answers must name the same order. */
  retry?: boolean;
  /** Learns ids from a successful answer. */
  learn?: (data: any, known: Known) => void;
}

export const HOSTILE_INPUT_CLASSES = [
  'non-UUID ids',
  'NUL bytes in strings',
  'adjustStock delta overflowing on hand',
  'forged page cursors',
] as const;

const REGIONS = ['EU', 'US'];

export function nextOperation(r: Rng, known: Known, serial: number): Operation {
  const invalid = r.chance(0.3);
  const badId = () => (r.chance(0.5) ? r.pick(['42', 'not-a-uuid', "'; drop table x; --", '']) : randomUUID());
  const text = (valid: string) => (invalid && r.chance(0.3) ? `${valid}\u0000x` : valid);
  const sku = () => (invalid && r.chance(0.3) ? text(`NOPE-${r.int(5)}`) : r.pick(known.skus));
  const warehouse = () => (invalid && r.chance(0.3) ? `NOWH-${r.int(5)}` : r.pick(known.warehouses));
  const quantity = () => (invalid && r.chance(0.4) ? r.pick([0, -1, -50, 2_000_000_000]) : 1 + r.int(6));
  const order = () => (known.orders.length && !(invalid && r.chance(0.4)) ? r.pick(known.orders) : { id: badId(), skus: [sku()] });

  const kinds = [
    'placeOrder',
    'placeOrder',
    'placeOrder',
    'cancelOrderLine',
    'adjustStock',
    'adjustStock',
    'createPurchaseOrder',
    'receivePurchaseOrder',
    'updatePurchaseOrder',
    'shipShipment',
    'dispatchTransfer',
    'receiveTransfer',
    'upsertProduct',
    'upsertWarehouse',
    'updateAllocationSettings',
    'readOrder',
    'listOrders',
  ] as const;
  const kind = r.pick(kinds);
  switch (kind) {
    case 'placeOrder': {
      const skus = [...new Set(Array.from({ length: 1 + r.int(3) }, sku))];
      return {
        name: kind,
        retry: true,
        query: `mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id lines { sku } } }`,
        variables: {
          input: {
            idempotencyKey: `fuzz-${serial}`,
            customerId: text(`cust-${r.int(20)}`),
            channel: 'fuzz',
            currency: 'EUR',
            shipToRegion: r.pick(REGIONS),
            fulfilmentPolicy: r.pick([undefined, 'SHIP_PARTIAL', 'SHIP_COMPLETE', 'SPLIT_ORDER']),
            priority: r.pick([undefined, 'LOW', 'NORMAL', 'HIGH', 'URGENT']),
            maxWarehouses: invalid && r.chance(0.2) ? r.pick([0, -1]) : r.pick([undefined, 1, 2]),
            lines:
              invalid && r.chance(0.1)
                ? []
                : skus.map((s) => ({ sku: s, quantity: quantity(), unitPrice: invalid && r.chance(0.2) ? -1 : 1 + r.int(5000) / 100 })),
          },
        },
        learn: (data, k) => k.orders.push({ id: data.placeOrder.id, skus: data.placeOrder.lines.map((l: any) => l.sku) }),
      };
    }
    case 'cancelOrderLine': {
      const o = order();
      return {
        name: kind,
        query: `mutation($orderId: ID!, $sku: String!, $quantity: Int) { cancelOrderLine(orderId: $orderId, sku: $sku, quantity: $quantity) { id } }`,
        variables: { orderId: o.id, sku: invalid && r.chance(0.3) ? sku() : r.pick(o.skus), quantity: r.chance(0.4) ? undefined : quantity() },
      };
    }
    case 'adjustStock':
      return {
        name: kind,
        query: `mutation($input: StockAdjustmentInput!) { adjustStock(input: $input) { onHand reserved } }`,
        variables: {
          input: {
            sku: sku(),
            warehouseCode: warehouse(),
            reason: text('fuzz'),
            delta: invalid && r.chance(0.3) ? 2_147_483_647 : r.chance(0.3) ? -(1 + r.int(30)) : 1 + r.int(30),
            releaseReservations: r.pick([undefined, true, false]),
          },
        },
      };
    case 'createPurchaseOrder': {
      const s = sku();
      return {
        name: kind,
        query: `mutation($input: PurchaseOrderInput!) { createPurchaseOrder(input: $input) { id } }`,
        variables: {
          input: {
            supplier: text('Fuzz Supplies'),
            warehouseCode: warehouse(),
            expectedAt: new Date(Date.now() + (invalid && r.chance(0.3) ? -5 : 1 + r.int(20)) * 86_400_000).toISOString(),
            lines: [{ sku: s, quantity: quantity() }],
          },
        },
        learn: (data, k) => k.purchaseOrders.push({ id: data.createPurchaseOrder.id, sku: s }),
      };
    }
    case 'receivePurchaseOrder': {
      const po = known.purchaseOrders.length && !(invalid && r.chance(0.3)) ? r.pick(known.purchaseOrders) : { id: badId(), sku: sku() };
      return {
        name: kind,
        query: `mutation($input: ReceiptInput!) { receivePurchaseOrder(input: $input) { id status } }`,
        variables: {
          input: {
            purchaseOrderId: po.id,
            lines: [{ sku: invalid && r.chance(0.3) ? sku() : po.sku, quantity: invalid ? r.pick([0, -3, 500]) : 1 + r.int(8) }],
          },
        },
      };
    }
    case 'updatePurchaseOrder': {
      const po = known.purchaseOrders.length && !(invalid && r.chance(0.3)) ? r.pick(known.purchaseOrders) : { id: badId() };
      return {
        name: kind,
        query: `mutation($input: UpdatePurchaseOrderInput!) { updatePurchaseOrder(input: $input) { id status } }`,
        variables: {
          input: {
            id: po.id,
            status: r.pick([undefined, 'OPEN', 'CANCELLED', ...(invalid ? ['RECEIVED', 'DRAFT', 'PARTIALLY_RECEIVED'] : [])]),
            expectedAt: r.chance(0.5) ? new Date(Date.now() + (r.int(30) - (invalid ? 10 : 0)) * 86_400_000).toISOString() : undefined,
          },
        },
      };
    }
    case 'shipShipment':
      return {
        name: kind,
        query: `mutation($input: ShipInput!) { shipShipment(input: $input) { id status } }`,
        variables: {
          input: {
            shipmentId: known.shipments.length && !(invalid && r.chance(0.3)) ? r.pick(known.shipments) : badId(),
            trackingNumber: r.chance(0.5) ? text(`TRK-${serial}`) : undefined,
          },
        },
      };
    case 'dispatchTransfer':
      return {
        name: kind,
        query: `mutation($id: ID!) { dispatchTransfer(id: $id) { id status } }`,
        variables: { id: known.transfers.length && !(invalid && r.chance(0.3)) ? r.pick(known.transfers) : badId() },
      };
    case 'receiveTransfer':
      return {
        name: kind,
        query: `mutation($input: TransferReceiptInput!) { receiveTransfer(input: $input) { id status } }`,
        variables: {
          input: {
            transferId: known.transfers.length && !(invalid && r.chance(0.3)) ? r.pick(known.transfers) : badId(),
            lines: [{ sku: sku(), quantity: invalid ? r.pick([0, -1, 99]) : 1 + r.int(4) }],
          },
        },
      };
    case 'upsertProduct': {
      const s = invalid && r.chance(0.2) ? r.pick(['', ' ', text('X')]) : r.chance(0.7) ? r.pick(known.skus) : `FZ-${serial}`;
      return {
        name: kind,
        query: `mutation($input: ProductInput!) { upsertProduct(input: $input) { sku } }`,
        variables: {
          input: {
            sku: s,
            name: `Fuzz ${s}`,
            supplier: r.pick([undefined, 'Fuzz Supplies', 'Other Co']),
            leadTimeDays: invalid && r.chance(0.3) ? -3 : r.pick([undefined, 0, 7, 21]),
            reorderPoint: r.pick([undefined, 0, 5]),
            reorderQuantity: invalid && r.chance(0.3) ? -1 : r.pick([undefined, 0, 20]),
            backorderPolicy: r.pick([undefined, 'ALLOW', 'DENY']),
            dropShip: r.pick([undefined, true, false]),
          },
        },
        learn: (data, k) => !k.skus.includes(data.upsertProduct.sku) && k.skus.push(data.upsertProduct.sku),
      };
    }
    case 'upsertWarehouse': {
      const code = r.chance(0.8) ? r.pick(known.warehouses) : `FZW-${serial}`;
      return {
        name: kind,
        query: `mutation($input: WarehouseInput!) { upsertWarehouse(input: $input) { code } }`,
        variables: {
          input: {
            code,
            name: code,
            region: r.pick(REGIONS),
            active: r.chance(0.9) ? undefined : r.chance(0.5),
            shippingLanes: r.chance(0.5)
              ? REGIONS.map((region) => ({ region, days: invalid && r.chance(0.3) ? -1 : 1 + r.int(5), cost: 1 + r.int(5) }))
              : undefined,
            transferLanes: r.chance(0.3)
              ? [{ toWarehouseCode: warehouse(), days: invalid && r.chance(0.3) ? -2 : 1 + r.int(3), cost: 1 }]
              : undefined,
          },
        },
        learn: (data, k) => !k.warehouses.includes(data.upsertWarehouse.code) && k.warehouses.push(data.upsertWarehouse.code),
      };
    }
    case 'updateAllocationSettings':
      return {
        name: kind,
        query: `mutation($input: AllocationSettingsInput!) { updateAllocationSettings(input: $input) { maxWarehousesPerOrder } }`,
        variables: {
          input: {
            allowDropShip: r.pick([undefined, true, false]),
            defaultFulfilmentPolicy: r.pick([undefined, 'SHIP_PARTIAL', 'SHIP_COMPLETE', 'SPLIT_ORDER']),
            maxWarehousesPerOrder: invalid && r.chance(0.4) ? r.pick([0, -1]) : r.pick([undefined, 1, 2, 3]),
            preferTransferWithinDays: invalid && r.chance(0.3) ? -1 : r.pick([undefined, 0, 2]),
            weights: r.chance(0.3) ? { cost: invalid ? -1 : r.int(3), eta: r.int(3), parcels: r.int(3) } : undefined,
          },
        },
      };
    case 'readOrder':
      return {
        name: kind,
        query: `query($id: ID!) { order(id: $id) { id shipments { id status } } }`,
        variables: { id: order().id },
        learn: (data, k) => {
          for (const s of data.order?.shipments ?? []) if (!k.shipments.includes(s.id)) k.shipments.push(s.id);
        },
      };
    case 'listOrders':
      return {
        name: kind,
        query: `query($first: Int, $after: String) { orders(first: $first, after: $after) { edges { node { id } } } transfers(first: 20) { edges { node { id status } } } }`,
        variables: {
          first: invalid && r.chance(0.5) ? r.pick([0, -1, 100_000]) : 10,
          after: invalid && r.chance(0.5) ? r.pick(['forged', 'eyJpZCI6Im5vcGUifQ==', 'MTIz']) : undefined,
        },
        learn: (data, k) => {
          for (const e of data.transfers?.edges ?? []) if (!k.transfers.includes(e.node.id)) k.transfers.push(e.node.id);
        },
      };
  }
}
