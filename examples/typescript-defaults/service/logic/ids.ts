/**
 * Ids that sort by creation time: ULIDs (https://github.com/ulid/spec).
 *
 * 26 characters of Crockford base32 encode 48 bits of milliseconds since the epoch, then 80
 * random bits. Within a process, ids only ever increase, even within one millisecond, so that
 * the order placed last is always listed first.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_BITS = 80n;

export class MonotonicUlids {
  private lastMs = 0n;
  private lastRandom = 0n;

  /** A ULID for something created at `createdAt`. */
  next(createdAt: Date): string {
    let ms = BigInt(createdAt.getTime());
    let random: bigint;
    if (ms <= this.lastMs) {
      // Same millisecond (or the clock stepped back): count up from the last id.
      ms = this.lastMs;
      random = this.lastRandom + 1n;
    } else {
      random = BigInt(`0x${randomBytes(10).toString('hex')}`);
    }
    this.lastMs = ms;
    this.lastRandom = random;
    const value = (ms << RANDOM_BITS) + random;
    let id = '';
    for (let shift = 125n; shift >= 0n; shift -= 5n) {
      id += ALPHABET.charAt(Number((value >> shift) & 31n));
    }
    return id;
  }
}

const ulids = new MonotonicUlids();

export function newId(createdAt: Date): string {
  return ulids.next(createdAt);
}
