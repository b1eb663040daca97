/** The caller's own profile: create it once, read it. The user id is the token's subject. */
import { Router } from '../http';

import { registerUser } from '../../logic/users';
import { NewUser } from '../../models/users';
import { callerId } from '../caller';
import { jsonBody } from '../request-body';
import { repository } from './dependencies';

export const router = new Router();

router.post(
  '/me',
  [jsonBody],
  async ({ event, valid }) => {
    const user = await registerUser(repository, callerId(event), valid.req.body);
    return Response.json(user, { status: 201 });
  },
  { validation: { req: { body: NewUser } } },
);

router.get('/me', async ({ event }) => Response.json(await repository.getUser(callerId(event))));
