import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireRole, Role } from '../../../auth/roles';
import { Loan, LoanEvent, LoanLine } from '../../../loans/loan.entity';
import { formatLoanNumber } from '../../../shared/document-numbers';
import { forbidden } from '../../../shared/errors';
import type { Page } from '../../../shared/pagination';
import { principalOf, Roles } from '../../auth';
import type { ApiContext } from '../../context';
import { LendStockInput, LoanConnection, LoanEventGql, LoanFilter, LoanGql, LoanLineGql, ReturnLoanInput } from '../types/loans';
import { actorOf } from './order-actions.resolver';
import { requireReturnAccess } from './returns.resolver';

async function reloadLoan(ctx: ApiContext, id: string): Promise<Loan> {
  ctx.em.clear();
  return ctx.em.findOneOrFail(Loan, { id });
}

/** Loans: goods lent to a customer, owned but not available, until returned or sold. */
@Resolver(() => LoanGql)
export class LoansResolver {
  @Authorized()
  @Query(() => LoanGql, { nullable: true, description: 'One loan; customers see only their own' })
  async loan(@Arg('id', () => ID) id: string, @Ctx() ctx: ApiContext): Promise<Loan | null> {
    const loan = await ctx.services.loans.get(ctx.em, id);
    if (!loan) return null;
    requireReturnAccess(principalOf(ctx), loan.customer.id);
    return loan;
  }

  @Authorized()
  @Query(() => LoanConnection, { description: 'Loans, newest first; a customer token lists its own only' })
  loans(
    @Arg('filter', () => LoanFilter, { nullable: true }) filter: LoanFilter | null,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: ApiContext,
  ): Promise<Page<Loan>> {
    const principal = principalOf(ctx);
    const scoped = { ...(filter ?? {}) };
    if (principal.role === Role.CUSTOMER) {
      if (scoped.customerId && scoped.customerId !== principal.customerId) throw forbidden('Customers may list their own loans only');
      scoped.customerId = principal.customerId;
    } else {
      requireRole(principal, Role.SERVICE, Role.OPS);
    }
    return ctx.services.loans.list(ctx.em, scoped, { first, after, maxPageSize: ctx.services.config.maxPageSize });
  }

  @Authorized(Roles.ORDER_DESK)
  @Mutation(() => LoanGql, { description: 'Lends available units to a customer: they leave on hand for onLoan (still owned); event LOAN_CREATED' })
  async lendStock(@Arg('input', () => LendStockInput) input: LendStockInput, @Ctx() ctx: ApiContext): Promise<Loan> {
    const id = await ctx.services.loans.lend(input, actorOf(ctx));
    return reloadLoan(ctx, id);
  }

  @Authorized([...Roles.ORDER_DESK, Role.OPS])
  @Mutation(() => LoanGql, { description: 'Lent units come back on hand and serve waiting backorders at once; event LOAN_RETURNED' })
  async returnLoan(@Arg('input', () => ReturnLoanInput) input: ReturnLoanInput, @Ctx() ctx: ApiContext): Promise<Loan> {
    await ctx.services.loans.returnLoan(input, actorOf(ctx));
    return reloadLoan(ctx, input.loanId);
  }

  @FieldResolver(() => String)
  number(@Root() loan: Loan): string {
    return formatLoanNumber(loan.number);
  }

  @FieldResolver(() => String)
  customerId(@Root() loan: Loan): string {
    return loan.customer.id;
  }

  @FieldResolver(() => ID, { nullable: true })
  orderId(@Root() loan: Loan): string | null {
    return loan.order?.id ?? null;
  }

  @FieldResolver(() => [LoanLineGql])
  async lines(@Root() loan: Loan, @Ctx() ctx: ApiContext): Promise<LoanLineGql[]> {
    const lines = await ctx.em.find(LoanLine, { loan: loan.id }, { orderBy: { sku: 'asc' } });
    return lines.map((l) => ({
      sku: l.sku,
      quantity: l.quantity,
      returnedQuantity: l.returnedQuantity,
      soldQuantity: l.soldQuantity,
      outstandingQuantity: l.quantity - l.returnedQuantity - l.soldQuantity,
    }));
  }

  @FieldResolver(() => [LoanEventGql])
  events(@Root() loan: Loan, @Ctx() ctx: ApiContext): Promise<LoanEvent[]> {
    return ctx.em.find(LoanEvent, { loan: loan.id }, { orderBy: { id: 'asc' } });
  }
}
