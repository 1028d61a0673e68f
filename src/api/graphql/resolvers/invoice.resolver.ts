import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Principal, Role } from '../../../auth/roles';
import type { InvoicingActor } from '../../../invoicing/invoicing-actor';
import type { CreditNoteView, InvoiceView } from '../../../invoicing/invoice-views';
import { forbidden } from '../../../shared/errors';
import type { Page } from '../../../shared/pagination';
import { principalOf, Roles } from '../../auth';
import type { ApiContext } from '../../context';
import {
  ConsolidatedInvoiceInput,
  CreditNoteGql,
  CreditNoteInput,
  InvoiceConnection,
  InvoiceFilter,
  InvoiceGql,
  InvoiceLoanInput,
  InvoiceShipmentInput,
} from '../types/invoice';

const actorOf = (ctx: ApiContext): InvoicingActor => {
  const principal = principalOf(ctx);
  return { name: `${principal.role} ${principal.subject}` };
};

/** Customers read their own documents only. */
function requireDocumentAccess(principal: Principal, customerId: string): void {
  if (principal.role === Role.CUSTOMER && principal.customerId !== customerId) throw forbidden('This document belongs to another customer');
}

async function issued(ctx: ApiContext, invoiceId: string): Promise<InvoiceView> {
  ctx.em.clear();
  return (await ctx.services.invoicing.invoice(ctx.em, invoiceId))!;
}

/** Invoices and credit notes: accounting issues them, customer service reads them, customers read their own. */
@Resolver(() => InvoiceGql)
export class InvoiceResolver {
  @Authorized(Roles.INVOICE_READING)
  @Query(() => InvoiceGql, { nullable: true, description: 'One invoice; customers see only their own' })
  async invoice(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<InvoiceView | null> {
    const invoice = await ctx.services.invoicing.invoice(ctx.em, id);
    if (invoice) requireDocumentAccess(principalOf(ctx), invoice.customerId);
    return invoice;
  }

  @Authorized(Roles.INVOICE_READING)
  @Query(() => InvoiceConnection, { description: 'Invoices, newest first; a customer token lists its own only' })
  invoices(
    @Arg('filter', () => InvoiceFilter, { nullable: true }) filter: InvoiceFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<InvoiceView>> {
    const principal = principalOf(ctx);
    const scoped = { ...(filter ?? {}) };
    if (principal.role === Role.CUSTOMER) {
      if (scoped.customerId && scoped.customerId !== principal.customerId) throw forbidden('Customers may list their own invoices only');
      scoped.customerId = principal.customerId;
    }
    return ctx.services.invoicing.invoices(ctx.em, scoped, { first, after, maxPageSize: ctx.services.config.maxPageSize });
  }

  @Authorized(Roles.INVOICE_READING)
  @Query(() => CreditNoteGql, { nullable: true, description: 'One credit note; customers see only their own' })
  async creditNote(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<CreditNoteView | null> {
    const note = await ctx.services.invoicing.creditNote(ctx.em, id);
    if (note) requireDocumentAccess(principalOf(ctx), note.customerId);
    return note;
  }

  @Authorized(Roles.INVOICING)
  @Mutation(() => InvoiceGql, {
    description:
      'Invoices shipped shipments of one order (INVOICE_ISSUED); an unshipped or already invoiced shipment is a CONFLICT. The rest of the order stays open',
  })
  async invoiceShipment(@Arg('input', () => InvoiceShipmentInput) input: InvoiceShipmentInput, @Ctx() ctx: ApiContext): Promise<InvoiceView> {
    return issued(ctx, await ctx.services.invoicing.invoiceShipments(input, actorOf(ctx)));
  }

  @Authorized(Roles.INVOICING)
  @Mutation(() => InvoiceGql, {
    description:
      'One invoice for every uninvoiced shipped shipment of a customer (samleordre), optionally up to a date; mixed currencies need `currency`',
  })
  async issueConsolidatedInvoice(
    @Arg('input', () => ConsolidatedInvoiceInput) input: ConsolidatedInvoiceInput,
    @Ctx() ctx: ApiContext,
  ): Promise<InvoiceView> {
    return issued(ctx, await ctx.services.invoicing.issueConsolidatedInvoice(input, actorOf(ctx)));
  }

  @Authorized(Roles.INVOICING)
  @Mutation(() => InvoiceGql, {
    description:
      'Ends units of a loan as sold (they leave stock: onLoan falls, LOAN_SOLD) and issues a LOAN invoice for them, priced per line, in one transaction; a stale expectedVersion is a CONFLICT',
  })
  async invoiceLoan(@Arg('input', () => InvoiceLoanInput) input: InvoiceLoanInput, @Ctx() ctx: ApiContext): Promise<InvoiceView> {
    return issued(ctx, await ctx.services.invoicing.invoiceLoan(input, actorOf(ctx)));
  }

  @Authorized(Roles.INVOICING)
  @Mutation(() => CreditNoteGql, {
    description: 'Credits an invoice, whole or per line (at most what is still uncredited: CONFLICT otherwise); CREDIT_NOTE_ISSUED on each order',
  })
  async issueCreditNote(@Arg('input', () => CreditNoteInput) input: CreditNoteInput, @Ctx() ctx: ApiContext): Promise<CreditNoteView> {
    const id = await ctx.services.invoicing.issueCreditNote(input, actorOf(ctx));
    ctx.em.clear();
    return (await ctx.services.invoicing.creditNote(ctx.em, id))!;
  }
}
