/** What the rules refuse. The API answers each with a 4xx; nothing here is a server error. */

/** A request the rules refuse, with a message fit for the caller. */
export class DomainError extends Error {
  override name = 'DomainError';
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

export class UserNotFoundError extends NotFoundError {
  override name = 'UserNotFoundError';

  constructor(userId: string) {
    super(`user ${userId} does not exist`);
  }
}

export class OrderNotFoundError extends NotFoundError {
  override name = 'OrderNotFoundError';

  constructor(orderId: string) {
    super(`order ${orderId} does not exist`);
  }
}

export class UserAlreadyExistsError extends ConflictError {
  override name = 'UserAlreadyExistsError';

  constructor(userId: string) {
    super(`user ${userId} already exists`);
  }
}

export class OrderAlreadyExistsError extends ConflictError {
  override name = 'OrderAlreadyExistsError';

  constructor(orderId: string) {
    super(`order ${orderId} already exists`);
  }
}

export class ConcurrentUpdateError extends ConflictError {
  override name = 'ConcurrentUpdateError';

  constructor() {
    super('another request changed the same data at the same time; retry');
  }
}
