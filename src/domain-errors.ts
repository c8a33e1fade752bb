// What the rules of the mock can refuse, with no HTTP in sight: services, stores and the seeding
// core throw these; http/errors.ts alone maps each class to a status; the CLI prints the message.

/** A refusal of the mock's rules; `message` is the sentence a caller sees. */
export class DomainError extends Error {
  override name = 'DomainError'
}

/** The input breaks a rule its schema cannot express (e.g. note and notes differ). */
export class InvalidInputError extends DomainError {
  override name = 'InvalidInputError'
}

/** No such thing for this caller: a missing record and another merchant's look the same. */
export class NotFoundError extends DomainError {
  override name = 'NotFoundError'
}

/** The write would duplicate something that must be unique (an id, a key, an e-mail). */
export class ConflictError extends DomainError {
  override name = 'ConflictError'
}

/** The thing exists but its state refuses this (refunded already, a deactivated card token). */
export class StateError extends DomainError {
  override name = 'StateError'
}

/** The input names something that does not exist (an unknown merchant or key). */
export class UnknownReferenceError extends DomainError {
  override name = 'UnknownReferenceError'
}

/** The work was stopped by a shutdown (after whole batches only). */
export class ShuttingDownError extends DomainError {
  override name = 'ShuttingDownError'
}

/** The database cannot be used right now (file gone, replaced, read-only). */
export class StorageUnavailableError extends DomainError {
  override name = 'StorageUnavailableError'
  // A SQLite-style code, like every other storage failure.
  readonly code = 'SQLITE_CANTOPEN'
}

/** A fixtures file that cannot be used; `message` names the file and the field. */
export class FixtureError extends DomainError {
  override name = 'FixtureError'
}
