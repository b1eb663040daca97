/**
 * Powertools' HTTP router and errors, as the API's modules use them, and HttpStatusError for the
 * statuses Powertools has no error class for. The API answers every HttpError with its status
 * and message (api.ts).
 *
 * The API's modules import these names from here rather than from Powertools: esbuild gives each
 * module's import of an external package a statement of its own in the bundle
 * (evanw/esbuild#475), and one import keeps the API's bundle small.
 */
import {
  BadRequestError,
  HttpError,
  HttpStatusCodes,
  MethodNotAllowedError,
  NotFoundError,
  ParameterValidationError,
  RequestValidationError,
  Router,
  UnauthorizedError,
} from '@aws-lambda-powertools/event-handler/http';
import type { HttpStatusCode } from '@aws-lambda-powertools/event-handler/types';

export {
  BadRequestError,
  HttpError,
  HttpStatusCodes,
  MethodNotAllowedError,
  NotFoundError,
  ParameterValidationError,
  RequestValidationError,
  Router,
  UnauthorizedError,
};

/** An HTTP error of any status, with a message for the caller. */
export class HttpStatusError extends HttpError {
  readonly errorType = 'HttpStatusError';

  // Public: HttpError's own constructor is protected.
  public constructor(
    readonly statusCode: HttpStatusCode,
    message: string,
  ) {
    super(message);
  }
}
