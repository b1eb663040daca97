/**
 * Free text the service accepts from clients: names, e-mail addresses, idempotency keys.
 *
 * Control characters (NUL, line breaks, escapes) and the invisible marks that reverse how text is
 * displayed (bidirectional overrides such as U+202E) are refused: they corrupt logs and CSV
 * exports, and let one name pass for another on screen. So is a value that is only blanks.
 */
import { z } from './zod';

// Unicode category Cc, and the bidirectional formatting characters of category Cf.
const CONTROL_CHARACTERS = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

/** Why `value` is not printable text, or undefined when it is. */
export function unprintable(value: string): string | undefined {
  const found = CONTROL_CHARACTERS.exec(value)?.[0];
  if (found !== undefined) {
    const codePoint = found.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return `must not contain control characters (U+${codePoint})`;
  }
  if (value.trim() === '') {
    return 'must not be blank';
  }
  return undefined;
}

/** A string of printable text; add length and pattern checks with `.check(...)`, run after. */
export function text(): z.ZodMiniString {
  return z.string().check(
    z.superRefine((value, context) => {
      const problem = unprintable(value);
      if (problem !== undefined) {
        // The first problem found is the one reported: a name with a line break in it need not
        // also hear that it does not look like an e-mail address.
        context.addIssue({ code: 'custom', message: problem, input: value, continue: false });
      }
    }),
  );
}
