/** Users: a profile is created once, with the time it was created. */
import type { NewUser, User } from '../models/users';

export interface UserStore {
  createUser(user: User): Promise<void>;
}

/** Store the user's profile; rejects with UserAlreadyExistsError when they have one already. */
export async function registerUser(
  store: UserStore,
  userId: string,
  newUser: NewUser,
  now: Date = new Date(),
): Promise<User> {
  const user: User = {
    ...newUser,
    user_id: userId,
    created_at: now.toISOString(),
    order_count: 0,
  };
  await store.createUser(user);
  return user;
}
