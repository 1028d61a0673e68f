import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DecimalFormatError, DecimalString, parseDecimal } from '../../../shared/decimal';

const readDecimal = (value: unknown): DecimalString => {
  try {
    return parseDecimal(value);
  } catch (error) {
    if (error instanceof DecimalFormatError) throw new GraphQLError(`Decimal ${error.message}`);
    throw error;
  }
};

/**
 * Exact decimal numbers, for money. Output is always a string ("12.5", "0.3", "1200": no trailing zeros, no
 * exponent), so clients never meet binary-float artefacts. Input takes a string ("12.50") or a number; a number
 * literal in the query is read as written, a number in JSON variables as JavaScript prints it.
 */
export const DecimalScalar = new GraphQLScalarType<DecimalString, DecimalString>({
  name: 'Decimal',
  description: 'An exact decimal number, serialised as a string such as "12.5" (never a binary float). Accepts a string such as "12.50" or a number.',
  serialize: readDecimal,
  parseValue: readDecimal,
  parseLiteral(ast) {
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT) return readDecimal(ast.value);
    throw new GraphQLError('Decimal must be a string such as "12.50" or a number', { nodes: ast });
  },
});
