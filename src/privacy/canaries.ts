/**
 * PII canaries: fake-but-realistic personal data and secrets that tests plant in requests,
 * headers and upstream error bodies, then look for in every sink (log store, stdout, traces,
 * metrics, dashboard API, alerts). Finding any of them, in any encoding, is a leak.
 *
 * All values are fabricated: documentation example keys, reserved example domains, fictional
 * 555 phone numbers and the card networks' published test numbers. `secret` is the part that
 * must never survive masking even partially (a key's body, an email's local part).
 */

export type CanaryKind = 'email' | 'phone' | 'card' | 'api-key' | 'bearer' | 'dsn' | 'user-id';

export interface Canary {
  readonly kind: CanaryKind;
  readonly value: string;
  readonly secret: string;
}

const c = (kind: CanaryKind, value: string, secret: string = value): Canary => Object.freeze({ kind, value, secret });

export const CANARIES: readonly Canary[] = Object.freeze([
  c('email', 'alice.smith@example.com', 'alice.smith'),
  c('email', 'bob+billing@mail.example.co.uk', 'bob+billing'),
  c('email', 'carol_o-neil@sub.example.org', 'carol_o-neil'),
  c('phone', '+1 415 555 0132', '555 0132'),
  c('phone', '+44 20 7946 0958', '7946 0958'),
  c('phone', '+4915112345678', '4915112345678'),
  c('phone', '+33 1 42 68 53 00', '42 68 53 00'),
  c('phone', '(415) 555-0147', '555-0147'),
  c('phone', '415-555-0198', '415-555-0198'),
  c('phone', '415.555.0176', '415.555.0176'),
  c('phone', '1-800-555-0199', '800-555-0199'),
  c('card', '4111 1111 1111 1111'),
  c('card', '4111111111111111'),
  c('card', '5555-5555-5555-4444'),
  c('card', '378282246310005'),
  c('card', '3782 822463 10005'),
  c('card', '6011111111111117'),
  c('card', '4012888888881881'),
  c('card', '2223003122003222'),
  c('card', '3530111333300000'),
  c('api-key', 'sk-Xk29fLq8Vn3Rt7Wb1Zc5Md0Hs4Jp6Ga9Ue2Yi8Ko3', 'Xk29fLq8Vn3Rt7Wb1Zc5Md0Hs4Jp6Ga9Ue2Yi8Ko3'),
  c('api-key', 'sk-proj-Tq7Rz2Lm9Xv4Bn8Kd3Wp6Hs1Jf5Gc0Ye_Ua-Ni7Oq2', 'Tq7Rz2Lm9Xv4Bn8Kd3Wp6Hs1Jf5Gc0Ye_Ua-Ni7Oq2'),
  c('api-key', 'sk-ant-api03-Pw4Kx8Ln2Rv6Tb0Zm5Qc9Jd3Hf7Gs1Ya-Ue_Wi4Oq8', 'Pw4Kx8Ln2Rv6Tb0Zm5Qc9Jd3Hf7Gs1Ya-Ue_Wi4Oq8'),
  c('api-key', 'sk-or-v1-8c3f2a9b7d1e4f60a5b8c2d9e3f7a1b4', '8c3f2a9b7d1e4f60a5b8c2d9e3f7a1b4'),
  c('api-key', 'AIzaSyD8kQ2mX7vL4pN9rT3wZ6bC1fH5jK0sY2e', 'SyD8kQ2mX7vL4pN9rT3wZ6bC1fH5jK0sY2e'),
  c('api-key', 'AKIAIOSFODNN7EXAMPLE', 'IOSFODNN7EXAMPLE'),
  c('bearer', 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEyMzQ1Njc4OSJ9.c2lnbmF0dXJlX3ZhbHVlXzEyMw',
    'eyJzdWIiOiJ1c2VyXzEyMzQ1Njc4OSJ9'),
  c('bearer', 'Bearer tg_live_Qm8Zr3Kx7Lv2Np9Wt4Bs6Hd1', 'Qm8Zr3Kx7Lv2Np9Wt4Bs6Hd1'),
  c('dsn', 'postgres://tollgate:Sup3rS3cretPw@db.internal:5432/tollgate', 'Sup3rS3cretPw'),
  c('dsn', 'redis://:r3d1sPa55w0rd@cache.internal:6379', 'r3d1sPa55w0rd'),
  c('user-id', 'user_123456789', '123456789'),
  c('user-id', 'usr_8f3a2b9c7d1e4567', '8f3a2b9c7d1e4567'),
]);

/** Canaries maskText must remove from free text (user ids are masked by maskUser instead). */
export const TEXT_CANARIES: readonly Canary[] = Object.freeze(CANARIES.filter((x) => x.kind !== 'user-id'));

/** The spellings a value takes in logs: as is, inside a JSON string, inside a URL. */
export function encodedForms(value: string): readonly string[] {
  return [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)];
}

/** Canaries whose value or secret occurs in `text` in any encoded form; empty means no leak. */
export function findLeaks(text: string, canaries: readonly Canary[] = CANARIES): Canary[] {
  return canaries.filter((x) => [x.value, x.secret].some((v) => encodedForms(v).some((f) => text.includes(f))));
}
