import { Check, Collection, Entity, Enum, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/core';
import type { Rel } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export enum TransferStatus {
  PLANNED = 'PLANNED',
  DISPATCHED = 'DISPATCHED',
  RECEIVED = 'RECEIVED',
  CANCELLED = 'CANCELLED',
}

/** Planned or on its way: its quantity is incoming at the destination. */
export const IN_FLIGHT_TRANSFER_STATUSES: readonly TransferStatus[] = [TransferStatus.PLANNED, TransferStatus.DISPATCHED];

/** Stock moving from one warehouse to another: reserved at the source when planned, in transit once dispatched. */
@Entity({ tableName: 'transfer' })
export class Transfer {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'bigint', autoincrement: true, unique: true })
  number!: string;

  @Enum({ items: () => TransferStatus })
  status!: TransferStatus;

  @Property({ type: 'text' })
  fromWarehouseCode!: string;

  @Property({ type: 'text' })
  toWarehouseCode!: string;

  @Property({ type: 'timestamptz' })
  expectedAt!: Date;

  @OneToMany(() => TransferLine, (line) => line.transfer, { orderBy: { sku: 'asc' } })
  lines = new Collection<TransferLine>(this);

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', nullable: true })
  dispatchedAt?: Date | null;
}

@Entity({ tableName: 'transfer_line' })
@Check({ name: 'transfer_line_received_within_quantity', expression: 'quantity > 0 and received_quantity >= 0 and received_quantity <= quantity' })
export class TransferLine {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Transfer, { deleteRule: 'cascade' })
  transfer!: Rel<Transfer>;

  @Property({ type: 'text' })
  sku!: string;

  @Property({ type: 'integer' })
  quantity!: number;

  @Property({ type: 'integer', default: 0 })
  receivedQuantity: number = 0;
}
