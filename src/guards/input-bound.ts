/**
 * A fast, deliberately high estimate of a request's input tokens, for budget and token-window
 * reservations on the hot path. The metering estimator (a real BPE tokenizer) costs tens of
 * microseconds per request, more than every other guard step together, and a reservation is
 * settled to the actual usage afterwards anyway; what matters here is speed and erring high.
 *
 * Text counts one token per 3 UTF-8 bytes (English averages about 4 per token, CJK about 3),
 * plus a few tokens of framing per message; images count a fixed 1,000; pre-tokenized prompts
 * count their length. It does not try to be exact.
 */
const BYTES_PER_TOKEN = 3;
const PER_MESSAGE = 4;
const PER_IMAGE = 1_000;
const PRIMING = 3;

function textTokens(s: string): number {
  return Math.ceil(Buffer.byteLength(s, 'utf8') / BYTES_PER_TOKEN);
}

function jsonTokens(value: unknown): number {
  if (value === undefined || value === null) return 0;
  try {
    return textTokens(JSON.stringify(value) ?? '');
  } catch {
    return 0;
  }
}

function contentTokens(content: unknown): number {
  if (typeof content === 'string') return textTokens(content);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const part of content) {
    if (part === null || typeof part !== 'object') continue;
    const p = part as Record<string, unknown>;
    if (typeof p.text === 'string') tokens += textTokens(p.text);
    else if (p.type === 'image_url' || p.type === 'input_image' || p.type === 'image') tokens += PER_IMAGE;
    else if (p.type === 'input_audio' || p.type === 'file' || p.type === 'input_file') tokens += jsonTokens(p);
  }
  return tokens;
}

function promptTokens(prompt: unknown): number {
  if (typeof prompt === 'string') return textTokens(prompt);
  if (!Array.isArray(prompt)) return 0;
  let tokens = 0;
  for (const item of prompt) {
    if (typeof item === 'string') tokens += textTokens(item);
    else if (typeof item === 'number') tokens += 1;
    else if (Array.isArray(item)) tokens += item.length;
  }
  return tokens;
}

export function inputTokenBound(operation: string, body: Readonly<Record<string, unknown>>): number {
  if (operation === 'embeddings') return promptTokens(body.input);
  if (operation !== 'chat') return promptTokens(body.prompt);
  let tokens = PRIMING;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  for (const m of messages) {
    if (m === null || typeof m !== 'object') continue;
    const msg = m as Record<string, unknown>;
    tokens += PER_MESSAGE + contentTokens(msg.content) + jsonTokens(msg.tool_calls);
  }
  return tokens + jsonTokens(body.tools) + jsonTokens(body.functions);
}
