/**
 * The Luhn checksum used by payment card numbers, plus the issuer-prefix sanity check that
 * keeps other Luhn-valid digit strings (about one in ten random numbers passes Luhn alone) from
 * being taken for cards.
 */

/** True when the digit string passes the Luhn check. Non-digits make it false. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * A plausible card number: 13-19 digits, first digit 2-6 (Mastercard 2/5, Amex/Diners/JCB 3,
 * Visa 4, Discover/UnionPay 6), 13 digits only for Visa, and Luhn-valid. The first-digit rule
 * is what keeps epoch-millisecond timestamps (13 digits starting with 1) from being masked.
 */
export function looksLikeCard(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false;
  const first = digits.charCodeAt(0) - 48;
  if (first < 2 || first > 6) return false;
  if (digits.length === 13 && first !== 4) return false;
  return luhnValid(digits);
}
