// ISO 3166-1 tables from the i18n-iso-countries package (bundled at build time):
// alpha-3 ↔ numeric (world-atlas feature ids) and English names.
import codes from 'i18n-iso-countries/codes.json';
import en from 'i18n-iso-countries/langs/en.json';

const rows = codes as unknown as [string, string, string, string][];
const names = (en as unknown as { countries: Record<string, string | string[]> }).countries;

export const alpha3ToNumeric = new Map<string, string>();
export const numericToAlpha3 = new Map<string, string>();
const alpha3ToAlpha2 = new Map<string, string>();
for (const [a2, a3, num] of rows) {
  alpha3ToNumeric.set(a3, num);
  numericToAlpha3.set(num, a3);
  alpha3ToAlpha2.set(a3, a2);
}

export function countryName(a3: string): string {
  const a2 = alpha3ToAlpha2.get(a3.slice(0, 3).toUpperCase());
  const n = a2 ? names[a2] : undefined;
  if (!n) return '';
  return Array.isArray(n) ? n[0] : n;
}

/** [alpha-3, English name], sorted by name, for pickers. */
export function allCountries(): [string, string][] {
  return rows.map(([, a3]) => [a3, countryName(a3)] as [string, string]).sort((x, y) => x[1].localeCompare(y[1]));
}
