import type { AuthCheckerFn } from 'type-graphql';
import { Principal, requireRole, Role } from '../auth/roles';
import { unauthenticated } from '../shared/errors';
import type { ApiContext } from './context';

/**
 * Role groups for `@Authorized(...)`. `@Authorized()` with no roles means any valid token. Admin passes every check.
 * Every Query, Mutation and Subscription field carries @Authorized (test/unit/schema.test.ts checks it); checks
 * that depend on the data (a customer's own order) happen in the resolver with `requireOrderAccess`.
 */
export const Roles = {
  /** Warehouses, stock, purchasing, transfers, shipments. */
  OPERATIONS: [Role.ADMIN, Role.OPS],
  /** People at the company: operations and customer service. */
  STAFF: [Role.ADMIN, Role.OPS, Role.SERVICE],
  /** Catalogue, stock and ETAs: staff and storefronts. */
  CATALOGUE: [Role.ADMIN, Role.OPS, Role.SERVICE, Role.STOREFRONT],
  /** Act on orders: customer service (and admin). */
  ORDER_DESK: [Role.ADMIN, Role.SERVICE],
  /** Place orders for a customer. */
  ORDER_PLACING: [Role.ADMIN, Role.SERVICE, Role.STOREFRONT],
  /** Issue invoices and credit notes. */
  INVOICING: [Role.ADMIN, Role.ACCOUNTING],
  /** Read invoices and credit notes: customers their own only (checked in the resolver). */
  INVOICE_READING: [Role.ADMIN, Role.ACCOUNTING, Role.SERVICE, Role.CUSTOMER],
  ADMIN: [Role.ADMIN],
} as const satisfies Record<string, readonly Role[]>;

/** No token: UNAUTHENTICATED. A role outside the list: FORBIDDEN. Thrown as DomainErrors, mapped in errors.ts. */
export const authChecker: AuthCheckerFn<ApiContext, Role> = ({ context }, roles) => {
  const principal = context.principal;
  if (!principal) throw unauthenticated();
  if (roles.length > 0) requireRole(principal, ...roles);
  return true;
};

/** The caller, for resolvers (after @Authorized has run, this never throws). */
export function principalOf(context: ApiContext): Principal {
  if (!context.principal) throw unauthenticated();
  return context.principal;
}
