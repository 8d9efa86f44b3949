/** One answered question in a pack section. */
export interface ReferralPackRow {
  /** The question's label for a reader other than the referrer (its `x-reviewTitle`, else its title). */
  key: string;
  /** The answer, already formatted for reading (dates spelt out, choices as their titles). */
  value: string;
}

/** One page of the form, with its answers in order. */
export interface ReferralPackSection {
  title: string;
  rows: ReferralPackRow[];
}

/** A file sent with the referral, listed (not embedded) in the pack. */
export interface ReferralPackAttachment {
  filename: string;
  mediaType: string;
  sizeBytes: number;
}

/**
 * Everything the referral pack shows: pure data, so the pack is the same bytes for the same
 * input and needs no database.
 */
export interface ReferralPackInput {
  reference: string;
  formTitle: string;
  formVersion: string;
  generatedAt: Date;
  classification: 'OFFICIAL-SENSITIVE';
  /**
   * The answers a home decides on first (the questions the form marks `x-summary`), set on one
   * page before the full answers; none: no summary page.
   */
  summary: ReferralPackRow[];
  sections: ReferralPackSection[];
  attachments: ReferralPackAttachment[];
  /** The layout version; bump it when the pack's layout changes in a way readers notice. */
  packFormatVersion: number;
}
