import type { GraphQLError } from 'graphql';
import { limitError } from './limit-error';

export interface SubscriptionLimits {
  maxSubscriptionsPerSocket: number;
  maxSubscriptionsPerSubject: number;
}

/** One socket's open subscriptions, by operation id; kept on the socket's context. */
export type SocketSubscriptions = Set<string>;

/**
 * Counts open subscriptions per socket and per token subject in this process. `acquire` refuses the one over a
 * limit (and counts nothing for it); `release` gives a slot back and is safe to call twice.
 */
export class SubscriptionLimiter {
  private readonly bySubject = new Map<string, number>();
  private readonly subjectOf = new WeakMap<SocketSubscriptions, string>();

  constructor(private readonly limits: SubscriptionLimits) {}

  acquire(socket: SocketSubscriptions, subject: string, id: string): GraphQLError | undefined {
    if (socket.has(id)) return undefined;
    const { maxSubscriptionsPerSocket, maxSubscriptionsPerSubject } = this.limits;
    if (socket.size >= maxSubscriptionsPerSocket) {
      return limitError(
        'MAX_SUBSCRIPTIONS_PER_SOCKET',
        `This connection already holds ${socket.size} subscriptions, the limit (maxSubscriptionsPerSocket is ${maxSubscriptionsPerSocket})`,
        maxSubscriptionsPerSocket,
      );
    }
    const held = this.bySubject.get(subject) ?? 0;
    if (held >= maxSubscriptionsPerSubject) {
      return limitError(
        'MAX_SUBSCRIPTIONS_PER_SUBJECT',
        `This token's subject already holds ${held} subscriptions, the limit (maxSubscriptionsPerSubject is ${maxSubscriptionsPerSubject})`,
        maxSubscriptionsPerSubject,
      );
    }
    socket.add(id);
    this.subjectOf.set(socket, subject);
    this.bySubject.set(subject, held + 1);
    return undefined;
  }

  release(socket: SocketSubscriptions, id: string): void {
    if (!socket.delete(id)) return;
    const subject = this.subjectOf.get(socket);
    if (subject === undefined) return;
    const left = (this.bySubject.get(subject) ?? 1) - 1;
    if (left > 0) this.bySubject.set(subject, left);
    else this.bySubject.delete(subject);
  }

  /** A closed socket gives back every slot it held. */
  releaseAll(socket: SocketSubscriptions): void {
    for (const id of [...socket]) this.release(socket, id);
  }

  /** Open subscriptions of a subject (for tests and metrics). */
  countForSubject(subject: string): number {
    return this.bySubject.get(subject) ?? 0;
  }
}
