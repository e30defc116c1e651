/**
 * The privacy module's front door: every sink and every error path masks through these
 * functions, so there is one definition of what counts as personal data or a secret.
 *
 *  - maskText: free text (plain, JSON-escaped, URL-encoded) → [EMAIL], [PHONE], [CARD],
 *    sk-[REDACTED], Bearer [REDACTED], …
 *  - maskBounded: the same with a length bound, masking before cutting
 *  - maskUser: end-user ids → `user_123***789`
 *  - maskMetadata: request metadata → bounded, masked string map
 *  - sanitizeErrorMessage: anything thrown → one safe line
 *  - maskPayload: opted-in prompt/completion logging
 *
 * Each lives in its own file; this one only gathers them.
 */
export { maskText, maskBounded } from './mask-text.js';
export { maskUser } from './mask-user.js';
export { maskMetadata, DEFAULT_METADATA_LIMITS, type MetadataLimits } from './mask-metadata.js';
export { sanitizeErrorMessage, MAX_ERROR_MESSAGE_CHARS } from './error-message.js';
export { maskPayload, MAX_PAYLOAD_CHARS } from './payload.js';
export { stripControlChars } from './control-chars.js';
