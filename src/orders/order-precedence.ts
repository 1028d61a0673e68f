import { OrderFlag, OrderPriority } from './order.enums';

/**
 * Who gets scarce stock first: priority, then VIP and replacement orders within a priority, then the oldest.
 * Gift orders get attention in packing, not precedence. One definition for the planner (TypeScript) and for the
 * queries that list or choose orders in that order (SQL).
 */
const PRIORITY_RANK: Record<OrderPriority, number> = { LOW: 0, NORMAL: 1, HIGH: 2, URGENT: 3 };
const FLAGS_THAT_RANK: OrderFlag[] = [OrderFlag.VIP, OrderFlag.REPLACEMENT];

export function precedenceRank(order: { priority: OrderPriority; flags: OrderFlag[] }): number {
  return PRIORITY_RANK[order.priority] * 2 + (order.flags.some((f) => FLAGS_THAT_RANK.includes(f)) ? 1 : 0);
}

/** The same rank as an SQL expression over a `sales_order` row with the given alias: higher goes first. */
export function precedenceRankSql(alias: string): string {
  const priority = Object.entries(PRIORITY_RANK)
    .map(([name, rank]) => `when '${name}' then ${rank}`)
    .join(' ');
  const flags = FLAGS_THAT_RANK.map((f) => `'${f}'`).join(',');
  return `((case ${alias}.priority ${priority} else 0 end) * 2 + (case when ${alias}.flags && array[${flags}]::text[] then 1 else 0 end))`;
}
