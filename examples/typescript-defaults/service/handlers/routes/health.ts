/** Liveness: answers without calling any dependency, for uptime checks. */
import { Router } from '@aws-lambda-powertools/event-handler/http';

export const router = new Router();

router.get('/health', () => ({ status: 'ok' }));
