/**
 * Removes characters that can forge or hide log content: C0/C1 controls (line breaks that start
 * a fake log line, terminal escapes), Unicode line/paragraph separators, and bidirectional
 * overrides that make text display differently from what it is. Each becomes a space, so words
 * on either side stay apart.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function stripControlChars(s: string): string {
  return s.replace(CONTROL, ' ');
}
