/** Liveness: answers without calling any dependency, for uptime checks. */
import { Router } from '../http';

export const router = new Router();

router.get('/health', () => ({ status: 'ok' }));
