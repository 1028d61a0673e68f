import { forbidden } from '../shared/errors';

export enum Role {
  ADMIN = 'admin',
  OPS = 'ops',
  SERVICE = 'service',
  STOREFRONT = 'storefront',
  CUSTOMER = 'customer',
  /** Issues invoices and credit notes; reads orders. */
  ACCOUNTING = 'accounting',
}

/** Who is calling: a role, and for customers the one customer they are. */
export interface Principal {
  role: Role;
  customerId?: string;
  subject: string;
}

export const ALL_ROLES = Object.values(Role);

export function requireRole(principal: Principal, ...allowed: Role[]): void {
  if (principal.role === Role.ADMIN) return;
  if (!allowed.includes(principal.role)) throw forbidden(`The ${principal.role} role may not do this`);
}

/** Customers see their own orders only; every other role that may read orders sees all of them. */
export function requireOrderAccess(principal: Principal, orderCustomerId: string): void {
  if (principal.role === Role.CUSTOMER) {
    if (principal.customerId !== orderCustomerId) throw forbidden('This order belongs to another customer');
    return;
  }
  requireRole(principal, Role.SERVICE, Role.STOREFRONT, Role.OPS, Role.ACCOUNTING);
}
