// POST /graphql with the signed-in token. Failures become one Error with `code` (the API's extensions.code,
// or NETWORK) and `details`; a refused token has code UNAUTHENTICATED.

export class ApiError extends Error {
  constructor(message, code, details) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

export async function graphqlRequest(endpoint, token, query, variables = {}) {
  let response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw new ApiError(String(error && error.message ? error.message : error), 'NETWORK');
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`HTTP ${response.status} without a GraphQL answer`, response.status === 401 ? 'UNAUTHENTICATED' : 'NETWORK');
  }
  const [first] = body.errors ?? [];
  if (first) {
    const code = response.status === 401 ? 'UNAUTHENTICATED' : (first.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
    throw new ApiError(first.message, code, first.extensions?.details);
  }
  if (!response.ok || !body.data) throw new ApiError(`HTTP ${response.status}`, response.status === 401 ? 'UNAUTHENTICATED' : 'NETWORK');
  return body.data;
}
