import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Allocation } from '../../../allocation/allocation.entity';
import type { Order } from '../../../orders/order.entity';
import type { OrderLine } from '../../../orders/order-line.entity';
import type { OrderRecord } from '../../../orders/order-record';
import { lineTotal } from '../../../orders/unit-price';
import type { Shipment } from '../../../shipments/shipment.entity';
import { formatOrderNumber } from '../../../shared/document-numbers';
import { notFound } from '../../../shared/errors';
import type { ApiContext } from '../../context';
import { OrderEventView, orderEventViewFromEntity } from '../mappers';
import { DecimalScalar } from '../types/decimal';
import { AllocationGql, OrderEventGql, OrderGql, OrderLineGql } from '../types/order';
import { ShipmentGql } from '../types/shipment';
import { PurchaseOrderGql } from '../types/purchase-order';
import { TransferGql } from '../types/transfer';
import type { PurchaseOrder } from '../../../purchasing/purchase-order.entity';
import type { Transfer } from '../../../transfers/transfer.entity';

/** Order fields that are not plain columns of the Order entity, read in batches through the request's em. */
@Resolver(() => OrderGql)
export class OrderFieldsResolver {
  @FieldResolver(() => String)
  number(@Root() order: OrderRecord): string {
    return formatOrderNumber(order.number);
  }

  @FieldResolver(() => String)
  customerId(@Root() order: OrderRecord): string {
    return order.customer.id;
  }

  @FieldResolver(() => [OrderLineGql])
  lines(@Root() order: OrderRecord, @Ctx() ctx: ApiContext): Promise<OrderLine[]> {
    return ctx.loaders.linesByOrderId.load(order.id);
  }

  @FieldResolver(() => [ShipmentGql])
  shipments(@Root() order: OrderRecord, @Ctx() ctx: ApiContext): Promise<Shipment[]> {
    return ctx.loaders.shipmentsByOrderId.load(order.id);
  }

  @FieldResolver(() => [OrderEventGql])
  async events(@Root() order: OrderRecord, @Ctx() ctx: ApiContext): Promise<OrderEventView[]> {
    return (await ctx.loaders.eventsByOrderId.load(order.id)).map(orderEventViewFromEntity);
  }

  @FieldResolver(() => OrderGql, { nullable: true })
  splitFrom(@Root() order: OrderRecord, @Ctx() ctx: ApiContext): Promise<Order | null> | null {
    return order.splitFrom ? ctx.loaders.orderById.load(order.splitFrom.id) : null;
  }

  @FieldResolver(() => [OrderGql])
  splitInto(@Root() order: OrderRecord, @Ctx() ctx: ApiContext): Promise<Order[]> {
    return ctx.loaders.splitIntoByOrderId.load(order.id);
  }
}

@Resolver(() => OrderLineGql)
export class OrderLineFieldsResolver {
  @FieldResolver(() => [AllocationGql])
  allocations(@Root() line: OrderLine, @Ctx() ctx: ApiContext): Promise<Allocation[]> {
    return ctx.loaders.allocationsByLineId.load(line.id);
  }

  @FieldResolver(() => DecimalScalar)
  lineTotal(@Root() line: OrderLine): string {
    return lineTotal(line);
  }
}

@Resolver(() => OrderEventGql)
export class OrderEventFieldsResolver {
  @FieldResolver(() => OrderGql)
  async order(@Root() event: OrderEventView, @Ctx() ctx: ApiContext): Promise<Order> {
    const order = await ctx.loaders.orderById.load(event.orderId);
    if (!order) throw notFound(`Order ${event.orderId} no longer exists`);
    return order;
  }
}

/** Links of an allocation to the purchase order or transfer it rests on, batched per request. */
@Resolver(() => AllocationGql)
export class AllocationFieldsResolver {
  @FieldResolver(() => PurchaseOrderGql, { nullable: true })
  purchaseOrder(@Root() allocation: Allocation, @Ctx() ctx: ApiContext): Promise<PurchaseOrder | null> | null {
    return allocation.purchaseOrderLine ? ctx.loaders.purchaseOrderByLineId.load(allocation.purchaseOrderLine.id) : null;
  }

  @FieldResolver(() => TransferGql, { nullable: true })
  transfer(@Root() allocation: Allocation, @Ctx() ctx: ApiContext): Promise<Transfer | null> | null {
    return allocation.transfer ? ctx.loaders.transferById.load(allocation.transfer.id) : null;
  }
}
