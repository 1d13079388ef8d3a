const ADDRESS = /<?[^\s<>()[\]"',;:@]+@[^\s<>()[\]"',;:@]+>?/g;
const MAX_REASON_LENGTH = 300;

/**
 * Why a delivery failed, fit for a log line. SMTP servers often quote the recipient
 * (`450 4.1.1 <ada@acme.test>: Recipient address rejected`), so addresses are cut out.
 */
export function failureReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message
    .replace(ADDRESS, '<address>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, MAX_REASON_LENGTH);
}

/** One mailbox, nothing that could name a second recipient or start another header. */
const SINGLE_ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

export function isSingleAddress(to: string): boolean {
  return SINGLE_ADDRESS.test(to);
}

/** A 5xx answer (no such mailbox, message refused) would be the same on every attempt. */
export function isPermanent(error: unknown): boolean {
  const { permanent, responseCode } = error as { permanent?: unknown; responseCode?: unknown };
  return permanent === true || (typeof responseCode === 'number' && responseCode >= 500);
}
