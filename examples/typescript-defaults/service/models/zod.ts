/**
 * zod/mini, as the service's modules import it: `import { z } from '../models/zod'`.
 *
 * One module imports the package for all the others: esbuild gives each module's import of an
 * external package a statement of its own in a bundle (evanw/esbuild#475).
 */
export * as z from 'zod/mini';
