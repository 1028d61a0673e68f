import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { isUuid } from '../shared/input-checks';
import type { Page, PageRequest } from '../shared/pagination';
import { CreditNoteView, InvoiceFilter, InvoiceView, listInvoices, loadCreditNotes, loadInvoices } from './invoice-views';
import type { InvoicingActor } from './invoicing-actor';
import { CreditNoteCommand, issueCreditNote } from './issue-credit-note';
import { invoiceLoan } from './issue-loan-invoice';
import type { LoanInvoiceCommand } from './loan-invoice-request';
import { ConsolidatedInvoiceCommand, invoiceShipments, InvoiceShipmentsCommand, issueConsolidatedInvoice } from './issue-invoice';

/** Invoices and credit notes: each issue is one transaction of its own; reads run on the caller's em. */
export class InvoicingService {
  constructor(private readonly orm: MikroORM) {}

  async invoiceShipments(command: InvoiceShipmentsCommand, actor: InvoicingActor): Promise<string> {
    return (await this.orm.em.fork().transactional((em) => invoiceShipments(em, command, actor))).invoiceId;
  }

  async issueConsolidatedInvoice(command: ConsolidatedInvoiceCommand, actor: InvoicingActor): Promise<string> {
    return (await this.orm.em.fork().transactional((em) => issueConsolidatedInvoice(em, command, actor))).invoiceId;
  }

  /** Ends units of a loan as sold and invoices them, in one transaction (see invoiceLoan). */
  async invoiceLoan(command: LoanInvoiceCommand, actor: InvoicingActor): Promise<string> {
    return (await this.orm.em.fork().transactional((em) => invoiceLoan(em, command, actor))).invoiceId;
  }

  async issueCreditNote(command: CreditNoteCommand, actor: InvoicingActor): Promise<string> {
    return (await this.orm.em.fork().transactional((em) => issueCreditNote(em, command, actor))).creditNoteId;
  }

  async invoice(em: EntityManager, id: string): Promise<InvoiceView | null> {
    return isUuid(id) ? ((await loadInvoices(em, [id]))[0] ?? null) : null;
  }

  invoices(em: EntityManager, filter: InvoiceFilter, page: PageRequest): Promise<Page<InvoiceView>> {
    return listInvoices(em, filter, page);
  }

  async creditNote(em: EntityManager, id: string): Promise<CreditNoteView | null> {
    return isUuid(id) ? ((await loadCreditNotes(em, [id]))[0] ?? null) : null;
  }
}
