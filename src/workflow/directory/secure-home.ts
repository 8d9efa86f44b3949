/** A need a home can meet: the keys of the referral form's `risks` object. */
export type NeedCode =
  | 'absconding'
  | 'sexualExploitation'
  | 'criminalExploitation'
  | 'trafficking'
  | 'selfHarm'
  | 'violence'
  | 'weapons'
  | 'harmfulSexualBehaviour'
  | 'fireSetting'
  | 'substanceMisuse'
  | 'onlineRisk';

/** A point on the map, in decimal degrees (WGS84). */
export interface LatLong {
  latitude: number;
  longitude: number;
}

/** One secure children's home in the directory (see secure-children-homes.schema.json). */
export interface SecureHome {
  /** Stable slug, used as the recipient id in workflow records. */
  id: string;
  name: string;
  /** The operating local authority, or "Voluntary sector". */
  operator: string;
  operatorType: 'local-authority' | 'voluntary';
  approxBeds: number;
  /** An English region or Wales, as in the referral form's `preferredRegion`. */
  region: string;
  /** Fictitious contact address (example.org / example.gov.uk). */
  email: string;
  /** Ages accepted, inclusive. */
  ageRange: { min: number; max: number };
  sexesAccepted: ('any' | 'female' | 'male')[];
  canMeet: NeedCode[];
  /** Town-level approximation of the home's area, for distance routing. */
  location: LatLong & { town: string };
}
