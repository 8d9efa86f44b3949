import type { LatLong } from './secure-home.js';

const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in kilometres between two points (haversine; ample for routing). */
export function distanceKm(a: LatLong, b: LatLong): number {
  const toRadians = (degrees: number): number => (degrees * Math.PI) / 180;
  const dLat = toRadians(b.latitude - a.latitude);
  const dLon = toRadians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 +
    Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Kilometres to miles (the referral form asks for a maximum distance in miles). */
export function kmToMiles(km: number): number {
  return km / 1.609344;
}
