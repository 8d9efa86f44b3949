/** Who is acting: every read or change of personal data names one, for the audit trail. */
export interface Actor {
  type: 'user' | 'api-token' | 'system' | 'home';
  id: string;
  organisationId: string;
}
