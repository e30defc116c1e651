import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import { contentBlocks, mediaSource, textOf } from './content.js';

function paramOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.code, 'invalid_request');
    return err.param;
  }
  assert.fail('expected an invalid_request error');
}

describe('contentBlocks', () => {
  test('a string becomes one text block; empty and null content give no blocks', () => {
    assert.deepEqual(contentBlocks('hi', 'c'), [{ type: 'text', text: 'hi' }]);
    assert.deepEqual(contentBlocks('', 'c'), []);
    assert.deepEqual(contentBlocks(null, 'c'), []);
    assert.deepEqual(contentBlocks(undefined, 'c'), []);
  });

  test('text, refusal and image parts keep their order; empty text parts are dropped', () => {
    const blocks = contentBlocks([
      { type: 'text', text: 'look' },
      { type: 'text', text: '' },
      { type: 'image_url', image_url: { url: 'data:image/PNG;base64,iVBORw0KGgo=' } },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
      { type: 'image_url', image_url: 'http://example.com/dog.gif' },
      { type: 'refusal', refusal: 'no' },
    ], 'c');
    assert.deepEqual(blocks, [
      { type: 'text', text: 'look' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { type: 'image', source: { type: 'url', url: 'http://example.com/dog.gif' } },
      { type: 'text', text: 'no' },
    ]);
  });

  test('an inline PDF file becomes a document block', () => {
    const blocks = contentBlocks([{ type: 'file', file: { filename: 'a.pdf', file_data: 'data:application/pdf;base64,JVBERi0=' } }], 'c');
    assert.deepEqual(blocks, [{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } }]);
  });

  test('unsupported or malformed parts name the offending parameter', () => {
    assert.equal(paramOf(() => contentBlocks([{ type: 'input_audio', input_audio: {} }], 'messages[1].content')), 'messages[1].content[0].type');
    assert.equal(paramOf(() => contentBlocks(['text'], 'c')), 'c[0]');
    assert.equal(paramOf(() => contentBlocks(42, 'c')), 'c');
    assert.equal(paramOf(() => contentBlocks([{ type: 'image_url', image_url: {} }], 'c')), 'c[0].image_url.url');
    assert.equal(paramOf(() => contentBlocks([{ type: 'image_url', image_url: { url: 'file:///etc/passwd' } }], 'c')), 'c[0].image_url.url');
    assert.equal(paramOf(() => contentBlocks([{ type: 'file', file: { file_id: 'file-1' } }], 'c')), 'c[0].file');
    assert.equal(paramOf(() => contentBlocks([{ type: 'file' }], 'c')), 'c[0].file');
  });
});

describe('mediaSource', () => {
  test('a data URL without base64 is refused', () => {
    assert.equal(paramOf(() => mediaSource('data:image/png,rawbytes', 'p')), 'p');
  });
});

describe('textOf', () => {
  test('joins text parts with newlines and skips empty ones', () => {
    assert.equal(textOf([{ type: 'text', text: 'a' }, { type: 'text', text: '' }, { type: 'text', text: 'b' }], 'p'), 'a\nb');
    assert.equal(textOf('plain', 'p'), 'plain');
    assert.equal(textOf(null, 'p'), '');
  });

  test('refuses non-text parts and non-array content', () => {
    assert.equal(paramOf(() => textOf([{ type: 'image_url', image_url: { url: 'https://x/y.png' } }], 'p')), 'p[0]');
    assert.equal(paramOf(() => textOf({ text: 'x' }, 'p')), 'p');
  });
});
