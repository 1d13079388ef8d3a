/** Messages clients match on (DESIGN.md section 7). */
export const ErrorMessages = {
  missingCredential: 'Invalid or missing authentication token',
  invalidApiKey: 'Invalid API key',
  expiredApiKey: 'API key expired',
  invalidToken: 'Invalid token',
  expiredToken: 'Token expired',
  inactiveAccount: 'Account is not active',
  forbidden: "You don't have permission to access this resource",
  unavailable: 'Service unavailable',
  internal: 'Internal server error',
} as const;
