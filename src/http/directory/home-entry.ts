import type { FormBody } from '../../forms/form-body.js';
import type { HomeRecord } from '../../workflow/homes-store.js';

/** The regions a home can be in: as the referral form's preferred region. */
export const homeRegions = [
  'North East',
  'North West',
  'Yorkshire and the Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
  'Wales',
] as const;

/** The needs a home can meet (the referral form's risks), with their titles. */
export const homeNeeds: readonly { value: string; text: string }[] = [
  { value: 'absconding', text: 'Absconding and missing episodes' },
  { value: 'sexualExploitation', text: 'Child sexual exploitation' },
  { value: 'criminalExploitation', text: 'Criminal exploitation, county lines and gangs' },
  { value: 'trafficking', text: 'Trafficking' },
  { value: 'selfHarm', text: 'Self-harm and suicide attempts' },
  { value: 'violence', text: 'Violence towards others' },
  { value: 'weapons', text: 'Carrying or using weapons' },
  { value: 'harmfulSexualBehaviour', text: 'Harmful sexual behaviour' },
  { value: 'fireSetting', text: 'Fire-setting' },
  { value: 'substanceMisuse', text: 'Substance misuse' },
  { value: 'onlineRisk', text: 'Online risk' },
];

/** What the home form asks, as typed (strings), for showing back after an error. */
export interface HomeEntryValues {
  name: string;
  operator: string;
  region: string;
  ageMin: string;
  ageMax: string;
  sexes: string[];
  needsMet: string[];
  beds: string;
  email: string;
  /** Staff addresses, one a line. */
  staff: string;
}

/** A GOV.UK error: the summary's text and the field it links to. */
export interface EntryError {
  text: string;
  href: string;
}

const emailPattern = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const maxStaff = 50;

/** The form's values from a posted body. */
export function toHomeEntryValues(body: FormBody | undefined): HomeEntryValues {
  const one = (name: string) => (body?.get(name)?.[0] ?? '').trim();
  const many = (name: string) => [...(body?.get(name) ?? [])];
  return {
    name: one('name'),
    operator: one('operator'),
    region: one('region'),
    ageMin: one('ageMin'),
    ageMax: one('ageMax'),
    sexes: many('sexes'),
    needsMet: many('needsMet'),
    beds: one('beds'),
    email: one('email').toLowerCase(),
    staff: (body?.get('staff')?.[0] ?? '').toLowerCase(),
  };
}

/** A stored home (and its staff) as the form shows it. */
export function fromHomeRecord(home: HomeRecord, staff: readonly string[]): HomeEntryValues {
  return {
    name: home.name,
    operator: home.operator,
    region: home.region,
    ageMin: String(home.ageMin),
    ageMax: String(home.ageMax),
    sexes: [...home.sexes],
    needsMet: [...home.needsMet],
    beds: String(home.beds),
    email: home.email,
    staff: staff.join('\n'),
  };
}

/**
 * Checks the form: either the home (without its id) and its staff list, or GOV.UK errors in
 * the order of the fields. Nothing is stored while there is an error.
 */
export function checkHomeEntry(
  values: HomeEntryValues,
):
  | { ok: true; home: Omit<HomeRecord, 'id' | 'postcodeDistrict'>; staff: string[] }
  | { ok: false; errors: EntryError[] } {
  const errors: EntryError[] = [];
  const text = (value: string, href: string, what: string) => {
    if (value === '') errors.push({ text: `Enter the ${what}`, href });
    else if (value.length > 100)
      errors.push({ text: `The ${what} must be 100 characters or fewer`, href });
  };
  text(values.name, '#name', "home's name");
  text(values.operator, '#operator', 'operator');
  if (!(homeRegions as readonly string[]).includes(values.region))
    errors.push({ text: 'Select the region', href: '#region' });
  const age = (value: string) => (/^\d{1,2}$/.test(value) ? Number(value) : Number.NaN);
  const ageMin = age(values.ageMin);
  const ageMax = age(values.ageMax);
  if (!(ageMin >= 0 && ageMin <= 18))
    errors.push({ text: 'Youngest age must be a whole number from 0 to 18', href: '#ageMin' });
  if (!(ageMax >= 0 && ageMax <= 18))
    errors.push({ text: 'Oldest age must be a whole number from 0 to 18', href: '#ageMax' });
  else if (ageMin > ageMax)
    errors.push({
      text: 'Oldest age must be the same as or more than the youngest',
      href: '#ageMax',
    });
  const sexes = values.sexes.filter((sex) => sex === 'female' || sex === 'male');
  if (sexes.length === 0 || sexes.length !== values.sexes.length)
    errors.push({ text: 'Select which children the home takes', href: '#sexes' });
  const needs = new Set(homeNeeds.map((need) => need.value));
  if (!values.needsMet.every((need) => needs.has(need)))
    errors.push({ text: 'Select only needs from the list', href: '#needsMet' });
  const beds = /^\d{1,3}$/.test(values.beds) ? Number(values.beds) : Number.NaN;
  if (!(beds >= 0 && beds <= 200))
    errors.push({ text: 'Capacity must be a whole number of beds from 0 to 200', href: '#beds' });
  if (!emailPattern.test(values.email) || values.email.length > 254)
    errors.push({
      text: 'Enter the email address for referral packs in the correct format, like name@example.org',
      href: '#email',
    });
  const staff = [...new Set(values.staff.split(/[\s,;]+/).filter((line) => line !== ''))];
  const badStaff = staff.find((address) => !emailPattern.test(address) || address.length > 254);
  if (badStaff !== undefined)
    errors.push({
      text: 'Enter each staff email address on its own line, in the correct format, like name@example.org',
      href: '#staff',
    });
  else if (staff.length > maxStaff)
    errors.push({
      text: `Enter ${String(maxStaff)} staff email addresses or fewer`,
      href: '#staff',
    });
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    home: {
      name: values.name,
      operator: values.operator,
      region: values.region,
      email: values.email,
      beds,
      ageMin,
      ageMax,
      sexes: sexes.sort(),
      needsMet: homeNeeds
        .map((need) => need.value)
        .filter((need) => values.needsMet.includes(need)),
    },
    staff,
  };
}

/** The slug a new home is known by: its name in lower case with hyphens. */
export function toHomeId(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'home'
  );
}
