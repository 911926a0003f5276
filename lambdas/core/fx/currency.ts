import { RevsegError } from '../errors.ts';

const CODE = /^[A-Z]{3}$/;

let isoCodes: ReadonlySet<string> | undefined;

/** Whether `code` has the shape of an ISO 4217 code: three letters A-Z. */
export function isCurrencyCode(code: string): boolean {
  return CODE.test(code);
}

/** Whether `code` is a currency this runtime knows (ISO 4217, from Intl), e.g. false for `XYZ`. */
export function isKnownCurrency(code: string): boolean {
  isoCodes ??= new Set(Intl.supportedValuesOf('currency'));
  return isoCodes.has(code);
}

/** The reporting currency as bound to the SQL (`:reporting_currency`); refuses anything but an ISO 4217 code. */
export function reportingCurrencyParam(currency: string): string {
  if (!isCurrencyCode(currency)) {
    throw new RevsegError(
      `reporting currency '${currency}' is not an ISO 4217 code: set currency to e.g. USD`,
    );
  }
  return currency;
}
