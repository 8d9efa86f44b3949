import type { LatLong } from './secure-home.js';

/** Where a postcode district roughly is, and how precisely we know it. */
export interface PostcodeLocation extends LatLong {
  /** The town or area the point stands for. */
  place: string;
  /** `district` when the district itself is known, `area` when only its letters matched. */
  precision: 'district' | 'area';
}

type Point = Omit<PostcodeLocation, 'precision'>;

/** Districts used in the shipped form's examples, at district level. */
const DISTRICTS: Readonly<Record<string, Point>> = {
  LS1: { place: 'Leeds city centre', latitude: 53.797, longitude: -1.548 },
  CF10: { place: 'Cardiff city centre', latitude: 51.476, longitude: -3.177 },
  SW1A: { place: 'Westminster', latitude: 51.501, longitude: -0.142 },
};

/**
 * The postcode areas of England and Wales (the leading letters), each at the town it is named
 * after: approximate, from general knowledge, often tens of kilometres from parts of a large
 * area, and meant only for ranking homes by distance, never for locating anyone.
 */
const AREAS: Readonly<Record<string, Point>> = {
  AL: { place: 'St Albans', latitude: 51.75, longitude: -0.34 },
  B: { place: 'Birmingham', latitude: 52.48, longitude: -1.9 },
  BA: { place: 'Bath', latitude: 51.38, longitude: -2.36 },
  BB: { place: 'Blackburn', latitude: 53.75, longitude: -2.48 },
  BD: { place: 'Bradford', latitude: 53.79, longitude: -1.75 },
  BH: { place: 'Bournemouth', latitude: 50.72, longitude: -1.88 },
  BL: { place: 'Bolton', latitude: 53.58, longitude: -2.43 },
  BN: { place: 'Brighton', latitude: 50.82, longitude: -0.14 },
  BR: { place: 'Bromley', latitude: 51.41, longitude: 0.02 },
  BS: { place: 'Bristol', latitude: 51.45, longitude: -2.59 },
  CA: { place: 'Carlisle', latitude: 54.89, longitude: -2.93 },
  CB: { place: 'Cambridge', latitude: 52.21, longitude: 0.12 },
  CF: { place: 'Cardiff', latitude: 51.48, longitude: -3.18 },
  CH: { place: 'Chester', latitude: 53.19, longitude: -2.89 },
  CM: { place: 'Chelmsford', latitude: 51.74, longitude: 0.47 },
  CO: { place: 'Colchester', latitude: 51.89, longitude: 0.9 },
  CR: { place: 'Croydon', latitude: 51.37, longitude: -0.1 },
  CT: { place: 'Canterbury', latitude: 51.28, longitude: 1.08 },
  CV: { place: 'Coventry', latitude: 52.41, longitude: -1.51 },
  CW: { place: 'Crewe', latitude: 53.1, longitude: -2.44 },
  DA: { place: 'Dartford', latitude: 51.45, longitude: 0.22 },
  DE: { place: 'Derby', latitude: 52.92, longitude: -1.48 },
  DH: { place: 'Durham', latitude: 54.78, longitude: -1.57 },
  DL: { place: 'Darlington', latitude: 54.52, longitude: -1.55 },
  DN: { place: 'Doncaster', latitude: 53.52, longitude: -1.13 },
  DT: { place: 'Dorchester', latitude: 50.71, longitude: -2.44 },
  DY: { place: 'Dudley', latitude: 52.51, longitude: -2.09 },
  E: { place: 'London (East)', latitude: 51.54, longitude: -0.05 },
  EC: { place: 'London (City)', latitude: 51.52, longitude: -0.09 },
  EN: { place: 'Enfield', latitude: 51.65, longitude: -0.08 },
  EX: { place: 'Exeter', latitude: 50.72, longitude: -3.53 },
  FY: { place: 'Blackpool', latitude: 53.82, longitude: -3.05 },
  GL: { place: 'Gloucester', latitude: 51.86, longitude: -2.24 },
  GU: { place: 'Guildford', latitude: 51.24, longitude: -0.57 },
  HA: { place: 'Harrow', latitude: 51.58, longitude: -0.34 },
  HD: { place: 'Huddersfield', latitude: 53.65, longitude: -1.78 },
  HG: { place: 'Harrogate', latitude: 53.99, longitude: -1.54 },
  HP: { place: 'Hemel Hempstead', latitude: 51.75, longitude: -0.47 },
  HR: { place: 'Hereford', latitude: 52.06, longitude: -2.72 },
  HU: { place: 'Hull', latitude: 53.74, longitude: -0.33 },
  HX: { place: 'Halifax', latitude: 53.72, longitude: -1.86 },
  IG: { place: 'Ilford', latitude: 51.56, longitude: 0.07 },
  IP: { place: 'Ipswich', latitude: 52.06, longitude: 1.16 },
  KT: { place: 'Kingston upon Thames', latitude: 51.41, longitude: -0.3 },
  L: { place: 'Liverpool', latitude: 53.41, longitude: -2.98 },
  LA: { place: 'Lancaster', latitude: 54.05, longitude: -2.8 },
  LD: { place: 'Llandrindod Wells', latitude: 52.24, longitude: -3.38 },
  LE: { place: 'Leicester', latitude: 52.64, longitude: -1.13 },
  LL: { place: 'Llandudno', latitude: 53.32, longitude: -3.83 },
  LN: { place: 'Lincoln', latitude: 53.23, longitude: -0.54 },
  LS: { place: 'Leeds', latitude: 53.8, longitude: -1.55 },
  LU: { place: 'Luton', latitude: 51.88, longitude: -0.42 },
  M: { place: 'Manchester', latitude: 53.48, longitude: -2.24 },
  ME: { place: 'Rochester', latitude: 51.39, longitude: 0.5 },
  MK: { place: 'Milton Keynes', latitude: 52.04, longitude: -0.76 },
  N: { place: 'London (North)', latitude: 51.57, longitude: -0.11 },
  NE: { place: 'Newcastle upon Tyne', latitude: 54.97, longitude: -1.61 },
  NG: { place: 'Nottingham', latitude: 52.95, longitude: -1.15 },
  NN: { place: 'Northampton', latitude: 52.24, longitude: -0.9 },
  NP: { place: 'Newport', latitude: 51.58, longitude: -3.0 },
  NR: { place: 'Norwich', latitude: 52.63, longitude: 1.3 },
  NW: { place: 'London (North West)', latitude: 51.55, longitude: -0.19 },
  OL: { place: 'Oldham', latitude: 53.54, longitude: -2.12 },
  OX: { place: 'Oxford', latitude: 51.75, longitude: -1.26 },
  PE: { place: 'Peterborough', latitude: 52.57, longitude: -0.24 },
  PL: { place: 'Plymouth', latitude: 50.38, longitude: -4.14 },
  PO: { place: 'Portsmouth', latitude: 50.82, longitude: -1.09 },
  PR: { place: 'Preston', latitude: 53.76, longitude: -2.7 },
  RG: { place: 'Reading', latitude: 51.45, longitude: -0.97 },
  RH: { place: 'Redhill', latitude: 51.24, longitude: -0.17 },
  RM: { place: 'Romford', latitude: 51.58, longitude: 0.18 },
  S: { place: 'Sheffield', latitude: 53.38, longitude: -1.47 },
  SA: { place: 'Swansea', latitude: 51.62, longitude: -3.94 },
  SE: { place: 'London (South East)', latitude: 51.47, longitude: -0.06 },
  SG: { place: 'Stevenage', latitude: 51.9, longitude: -0.2 },
  SK: { place: 'Stockport', latitude: 53.41, longitude: -2.16 },
  SL: { place: 'Slough', latitude: 51.51, longitude: -0.59 },
  SM: { place: 'Sutton', latitude: 51.36, longitude: -0.19 },
  SN: { place: 'Swindon', latitude: 51.56, longitude: -1.78 },
  SO: { place: 'Southampton', latitude: 50.91, longitude: -1.4 },
  SP: { place: 'Salisbury', latitude: 51.07, longitude: -1.79 },
  SR: { place: 'Sunderland', latitude: 54.91, longitude: -1.38 },
  SS: { place: 'Southend-on-Sea', latitude: 51.54, longitude: 0.71 },
  ST: { place: 'Stoke-on-Trent', latitude: 53.0, longitude: -2.18 },
  SW: { place: 'London (South West)', latitude: 51.46, longitude: -0.17 },
  SY: { place: 'Shrewsbury', latitude: 52.71, longitude: -2.75 },
  TA: { place: 'Taunton', latitude: 51.02, longitude: -3.1 },
  TF: { place: 'Telford', latitude: 52.68, longitude: -2.45 },
  TN: { place: 'Tonbridge', latitude: 51.2, longitude: 0.27 },
  TQ: { place: 'Torquay', latitude: 50.46, longitude: -3.53 },
  TR: { place: 'Truro', latitude: 50.26, longitude: -5.05 },
  TS: { place: 'Middlesbrough', latitude: 54.57, longitude: -1.23 },
  TW: { place: 'Twickenham', latitude: 51.45, longitude: -0.33 },
  UB: { place: 'Southall', latitude: 51.51, longitude: -0.38 },
  W: { place: 'London (West)', latitude: 51.51, longitude: -0.2 },
  WA: { place: 'Warrington', latitude: 53.39, longitude: -2.6 },
  WC: { place: 'London (West Central)', latitude: 51.52, longitude: -0.12 },
  WD: { place: 'Watford', latitude: 51.66, longitude: -0.4 },
  WF: { place: 'Wakefield', latitude: 53.68, longitude: -1.5 },
  WN: { place: 'Wigan', latitude: 53.55, longitude: -2.63 },
  WR: { place: 'Worcester', latitude: 52.19, longitude: -2.22 },
  WS: { place: 'Walsall', latitude: 52.59, longitude: -1.98 },
  WV: { place: 'Wolverhampton', latitude: 52.59, longitude: -2.13 },
  YO: { place: 'York', latitude: 53.96, longitude: -1.08 },
};

const DISTRICT_PATTERN = /^([A-Z]{1,2})(?:[0-9][A-Z0-9]?)?$/;

/**
 * An approximate point for a postcode district such as `LS1` or `SW1A` (the outward code, the
 * only part the referral form collects) or a bare area such as `LS`:
 * the district itself when known, else its area's
 * town; undefined for anything that is not a district of England or Wales.
 */
export function locatePostcodeDistrict(district: string): PostcodeLocation | undefined {
  const normalised = district.trim().toUpperCase().replace(/\s+/g, '');
  const match = DISTRICT_PATTERN.exec(normalised);
  if (!match) return undefined;
  const known = DISTRICTS[normalised];
  if (known) return { ...known, precision: 'district' };
  const area = AREAS[match[1] ?? ''];
  return area ? { ...area, precision: 'area' } : undefined;
}
