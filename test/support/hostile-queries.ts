/** `orders -> events -> order` nested `levels` times: the shape of issue 14's query that grew the API to 4 GB. */
export function ordersEventsOrder(levels: number, first = ''): string {
  let inner = 'id';
  for (let i = 0; i < levels; i += 1) inner = `events { type order { ${inner} } }`;
  return `{ orders${first ? `(first: ${first})` : ''} { edges { node { ${inner} } } } }`;
}
