import { ApolloServer, HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ApiContext } from '../../src/api/context';
import type { OperationSample } from '../../src/api/metrics';
import { operationObserverPlugin } from '../../src/api/request-log';
import { createLogger } from '../../src/shared/logger';

/** A real Apollo Server with the plugin, a capturing logger and a recorder of metric samples. */
async function observedServer() {
  const lines: any[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  const samples: OperationSample[] = [];
  const server = new ApolloServer<ApiContext>({
    typeDefs: 'type Query { hello: String, secret: String } type Mutation { touch: Int }',
    resolvers: {
      Query: {
        hello: () => 'world',
        secret: () => {
          throw new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } });
        },
      },
      Mutation: { touch: () => 1 },
    },
    plugins: [
      operationObserverPlugin({
        logger: createLogger({ logLevel: 'info' }, 'api', { destination }),
        metrics: { recordOperation: (s) => samples.push(s) },
      }),
    ],
  });
  await server.start();
  const run = (query: string, operationName?: string, requestId = 'req-1') =>
    server.executeOperation(
      { query, operationName, http: { method: 'POST', headers: new HeaderMap([['x-request-id', requestId]]), search: '', body: {} } },
      { contextValue: { principal: { role: 'admin' } } as unknown as ApiContext },
    );
  return { server, run, lines, samples };
}

describe('the operation observer plugin', () => {
  it('writes one line and one sample per operation: name, type, outcome, duration, request id', async () => {
    const { server, run, lines, samples } = await observedServer();
    try {
      await run('query Greeting { hello }', undefined, 'req-a');
      await run('mutation { touch }', undefined, 'req-b');
      await run('query Secret { secret }', undefined, 'req-c');
      await run('query Broken {', undefined, 'req-d');
      await run('query One { hello } query Two { hello }', 'Two', 'req-e');
    } finally {
      await server.stop();
    }
    expect(samples.map(({ operation, type, outcome }) => `${operation} ${type} ${outcome}`)).toEqual([
      'Greeting query ok',
      'anonymous mutation ok',
      'Secret query FORBIDDEN',
      'unknown unknown OTHER_ERROR', // a parse failure: the API's formatError would have made it BAD_USER_INPUT
      'Two query ok',
    ]);
    expect(samples.every((s) => typeof s.durationSeconds === 'number' && s.durationSeconds >= 0)).toBe(true);
    const operationLines = lines.filter((l) => l.message === 'graphql operation');
    expect(operationLines).toHaveLength(5);
    expect(operationLines[0]).toMatchObject({
      level: 'info',
      name: 'api',
      requestId: 'req-a',
      operation: 'Greeting',
      type: 'query',
      outcome: 'ok',
      role: 'admin',
    });
    expect(operationLines[2]).toMatchObject({ requestId: 'req-c', operation: 'Secret', outcome: 'FORBIDDEN' });
    expect(typeof operationLines[0].durationMs).toBe('number');
  });
});
