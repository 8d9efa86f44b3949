/**
 * True when an API token may read a submission: only one made by its own organisation (by a
 * user of that organisation or a token of it). A reference is an address, not a capability:
 * knowing another organisation's reference reads nothing, and looks like a reference that does
 * not exist.
 */
export function mayTokenReadSubmission(
  token: { organisationId: string },
  submission: { submitterOrganisationId: string },
): boolean {
  return token.organisationId === submission.submitterOrganisationId;
}
