/**
 * A user's profile, as the service accepts and returns it.
 *
 * Field names are those of the API's JSON (snake_case), here as in every model.
 */
import { text } from './text';
import { z } from './zod';

/** The caller's profile to create (POST /me); their user id is their token's subject. */
export const NewUser = z.strictObject({
  email: text().check(z.maxLength(254), z.regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/)),
  name: text().check(z.minLength(1), z.maxLength(100)),
});
export type NewUser = z.infer<typeof NewUser>;

/** A stored profile. */
export interface User extends NewUser {
  user_id: string;
  // ISO 8601, UTC.
  created_at: string;
  order_count: number;
}
