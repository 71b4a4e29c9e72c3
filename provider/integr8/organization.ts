// A check helper of the resources, apart from the client so a program's declarations load no HTTP code.
/**
 * A resource's organization: its own `organizationId`, else the configured
 * one (`configured`, the context's `organizationId` setting); check fails
 * naming both ways to set it when there is neither.
 */
export function withOrganization<T extends { organizationId?: string }>(n: T, c: { fail(property: string, reason: string): void }, configured: string | undefined): T {
  const out = { ...n, organizationId: n.organizationId ?? configured };
  if (out.organizationId === undefined) c.fail("organizationId", "organizationId is required: set stack config integr8:organizationId or environment INTEGR8_ORGANIZATION_ID, or pass organizationId");
  return out;
}

