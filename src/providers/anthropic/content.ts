/**
 * Translates the content of one OpenAI chat message (a string or an array of parts) into
 * Messages API content blocks: text, images (inline `data:` URLs or remote http(s) URLs) and
 * inline PDF files. Empty text is dropped because the provider rejects empty text blocks.
 *
 * It does not decide which role the blocks end up in (messages.ts does) and does not check
 * media types beyond splitting a data URL: the provider validates those and says so clearly.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { isObject, stringOf, type JsonObject } from './wire-json.js';

export type Block = JsonObject;

const DATA_URL_HEAD = /^data:([^;,]+);base64,/i;

function invalid(param: string, detail: string): GatewayError {
  return new GatewayError('invalid_request', { param, detail });
}

function textBlock(text: string): Block[] {
  return text.length > 0 ? [{ type: 'text', text }] : [];
}

/** An inline base64 payload or a remote URL, as the provider's `source` object. */
export function mediaSource(url: string, param: string): JsonObject {
  const head = DATA_URL_HEAD.exec(url);
  if (head) return { type: 'base64', media_type: head[1].toLowerCase(), data: url.slice(head[0].length) };
  if (/^https?:\/\//i.test(url)) return { type: 'url', url };
  throw invalid(param, 'Media must be a base64 data: URL or an http(s) URL.');
}

function imageBlock(part: JsonObject, param: string): Block {
  // Clients send either `{image_url: {url}}` (the documented shape) or `{image_url: "…"}`.
  const ref = part.image_url;
  const url = isObject(ref) ? stringOf(ref.url) : stringOf(ref);
  if (!url) throw invalid(`${param}.image_url.url`, 'An image part needs a URL.');
  return { type: 'image', source: mediaSource(url, `${param}.image_url.url`) };
}

function fileBlock(part: JsonObject, param: string): Block {
  const file = isObject(part.file) ? part.file : {};
  const data = stringOf(file.file_data);
  if (!data || !DATA_URL_HEAD.test(data)) {
    throw invalid(`${param}.file`, 'Only inline files (file_data as a base64 data: URL) are supported by this provider.');
  }
  return { type: 'document', source: mediaSource(data, `${param}.file.file_data`) };
}

function partBlocks(part: unknown, param: string): Block[] {
  if (!isObject(part)) throw invalid(param, 'A content part must be an object.');
  switch (part.type) {
    case 'text':
      return textBlock(stringOf(part.text) ?? '');
    case 'refusal':
      return textBlock(stringOf(part.refusal) ?? '');
    case 'image_url':
      return [imageBlock(part, param)];
    case 'file':
      return [fileBlock(part, param)];
    default:
      throw invalid(`${param}.type`, `Content part type "${String(part.type)}" is not supported by this provider.`);
  }
}

/** Blocks for a message's `content`; `param` names it in errors (e.g. `messages[2].content`). */
export function contentBlocks(content: unknown, param: string): Block[] {
  if (content === undefined || content === null) return [];
  if (typeof content === 'string') return textBlock(content);
  if (!Array.isArray(content)) throw invalid(param, 'Content must be a string or an array of parts.');
  return content.flatMap((part, i) => partBlocks(part, `${param}[${i}]`));
}

/** Plain text of a content that may only hold text (system and developer messages). */
export function textOf(content: unknown, param: string): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) throw invalid(param, 'Content must be a string or an array of text parts.');
  return content.map((part, i) => {
    if (!isObject(part) || part.type !== 'text') throw invalid(`${param}[${i}]`, 'Only text parts are allowed here.');
    return stringOf(part.text) ?? '';
  }).filter((t) => t.length > 0).join('\n');
}
