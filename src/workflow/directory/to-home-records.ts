import type { HomeRecord } from '../homes-store.js';
import type { DistanceKm } from '../step-type.js';
import { distanceKm } from './distance.js';
import type { SecureHome } from './secure-home.js';
import { locatePostcodeDistrict } from './locate-postcode-district.js';

/** The directory's homes as the workflow engine stores them. */
export function toHomeRecords(homes: readonly SecureHome[]): HomeRecord[] {
  return homes.map((home) => ({
    id: home.id,
    name: home.name,
    operator: home.operator,
    region: home.region,
    email: home.email,
    beds: home.approxBeds,
    ageMin: home.ageRange.min,
    ageMax: home.ageRange.max,
    sexes: home.sexesAccepted.includes('any') ? ['female', 'male'] : [...home.sexesAccepted],
    needsMet: [...home.canMeet],
    postcodeDistrict: null,
  }));
}

/** Kilometres from a child's postcode district to a home, from the directory's locations. */
export function createDirectoryDistance(homes: readonly SecureHome[]): DistanceKm {
  const byId = new Map(homes.map((home) => [home.id, home]));
  return (postcodeDistrict, homeId) => {
    const from = locatePostcodeDistrict(postcodeDistrict);
    const home = byId.get(homeId);
    return from && home ? distanceKm(from, home.location) : undefined;
  };
}
