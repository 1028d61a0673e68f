/**
 * Digits after the point that each currency's smallest unit allows (ISO 4217). Currencies not listed have 2, as
 * most do. A price may not be finer than its currency's smallest unit.
 */
const MINOR_UNIT_DIGITS: Readonly<Record<string, number>> = {
  // No minor unit.
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  // Thousandths.
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  // Ten-thousandths (units of account).
  CLF: 4,
  UYW: 4,
};

export const DEFAULT_MINOR_UNIT_DIGITS = 2;

/** JPY 0, EUR 2, KWD 3; an unlisted three-letter code 2. */
export const minorUnitDigits = (currency: string): number => MINOR_UNIT_DIGITS[currency] ?? DEFAULT_MINOR_UNIT_DIGITS;
