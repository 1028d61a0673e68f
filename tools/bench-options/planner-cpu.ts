import { availabilityAnswers } from '../../src/allocation/storefront/availability-answer';
import { deliveryOptions } from '../../src/allocation/storefront/delivery-options';
import { EarlierDemandMemo } from '../../src/allocation/storefront/earlier-demand-memo';
import type { OrderDemand, PlanningSnapshot } from '../../src/allocation/planning.types';
import { FulfilmentPolicy, OrderPriority, OrderStatus } from '../../src/orders/order.enums';
import { seededRandom } from '../bench/stats';

/**
 * CPU microseconds per storefront answer of the pure part alone (planner, parcels, options), fresh against the
 * remembered plan of the earlier demand, on a snapshot shaped like bench-options' seed (3 warehouses, 20 SKUs,
 * 60 open orders of 2 lines, purchase orders for half the SKUs). Both run interleaved, so a busy machine slows
 * both alike: `node -r @swc-node/register tools/bench-options/planner-cpu.ts [rounds]`.
 */
const random = seededRandom(42);
const DAY = 86_400_000;
const now = new Date();
const SKUS = Array.from({ length: 20 }, (_, i) => `BO-${String(i + 1).padStart(2, '0')}`);
const CODES = ['HUB', 'NEAR', 'FAR'];
const demand: OrderDemand[] = Array.from({ length: 60 }, (_, n) => ({
  orderId: `o-${String(n).padStart(3, '0')}`,
  placedAt: new Date(now.getTime() - (60 - n) * 60_000),
  priority: OrderPriority.NORMAL,
  flags: [],
  fulfilmentPolicy: FulfilmentPolicy.SHIP_PARTIAL,
  maxWarehouses: null,
  shipToRegion: 'EU',
  status: OrderStatus.PARTIALLY_ALLOCATED,
  lines: [0, 1].map((j) => ({
    lineId: `o-${n}-${j}`,
    sku: SKUS[Math.floor(random() * SKUS.length)],
    quantity: 1 + Math.floor(random() * 6),
    shippedQuantity: 0,
    cancelledQuantity: 0,
    firmCovers: [],
    currentEta: null,
  })),
}));
const snapshot: PlanningSnapshot = {
  now,
  policy: { maxWarehousesPerOrder: 3, preferTransferWithinDays: 2, allowDropShip: true, weights: { eta: 1, cost: 0.1, parcels: 2 } },
  warehouses: [
    { code: 'HUB', active: true, shippingLanes: [{ region: 'EU', days: 1, cost: 4 }], transferLanes: [] },
    { code: 'NEAR', active: true, shippingLanes: [{ region: 'EU', days: 2, cost: 3 }], transferLanes: [] },
    { code: 'FAR', active: true, shippingLanes: [{ region: 'EU', days: 6, cost: 9 }], transferLanes: [{ toWarehouseCode: 'HUB', days: 2, cost: 1 }] },
  ],
  stock: SKUS.flatMap((sku) =>
    CODES.map((warehouseCode) => {
      const available = Math.floor(random() * 12);
      return { sku, warehouseCode, available, onHand: available };
    }),
  ),
  inbound: SKUS.filter((_, i) => i % 2 === 0).map((sku, i) => ({
    supplyId: `pl-${i}`,
    reference: `PO-${i + 1}`,
    sku,
    warehouseCode: 'HUB',
    expectedAt: new Date(now.getTime() + (3 + (i % 7)) * DAY),
    unpromisedQuantity: 10,
  })),
  products: SKUS.map((sku, i) => ({
    sku,
    leadTimeDays: 7 + (i % 10),
    dropShip: i % 5 === 0,
    supplier: i % 5 === 0 ? 'DirectCo' : 'Acme',
    reorderPoint: 0,
    reorderQuantity: 20,
  })),
  demand,
  skusWithOpenSuggestion: [],
};
const carts = Array.from({ length: 200 }, () =>
  [...SKUS]
    .sort(() => random() - 0.5)
    .slice(0, 5)
    .map((sku) => ({ sku, quantity: 1 + Math.floor(random() * 8) })),
);
const rounds = Number(process.argv[2] ?? 10);
const memo = new EarlierDemandMemo();
const cpu = { fresh: { options: 0, availability: 0 }, memo: { options: 0, availability: 0 } };
const timed = (run: () => void) => {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return used.user + used.system;
};
for (let round = 0; round < rounds; round++) {
  for (const mode of ['fresh', 'memo'] as const) {
    const facts = { noBackorderSkus: new Set<string>(), earlierDemand: mode === 'memo' ? memo : undefined };
    cpu[mode].options += timed(() => carts.forEach((lines) => deliveryOptions(snapshot, { region: 'EU', lines }, facts)));
    cpu[mode].availability += timed(() => carts.forEach((lines) => availabilityAnswers(snapshot, [{ ...lines[0], region: 'EU' }], facts)));
  }
}
const per = (us: number) => Math.round((us / (rounds * carts.length)) * 10) / 10;
console.log(
  JSON.stringify({
    microsecondsPerAnswer: {
      deliveryOptions: { fresh: per(cpu.fresh.options), memo: per(cpu.memo.options) },
      availability: { fresh: per(cpu.fresh.availability), memo: per(cpu.memo.availability) },
    },
  }),
);
