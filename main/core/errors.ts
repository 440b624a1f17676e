// Errors that cross a boundary (CLI, bridge) as values: a stable code for programs and a
// message a person can act on.

export const ERROR_CODES = [
  'invalid_input',
  'not_found',
  'conflict',
  'not_supported',
  'docker_unavailable',
  'image_unavailable',
  'store_too_new',
  'io_error',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Per-field problems, for a form or the CLI to show beside each field. */
  readonly fieldErrors: Record<string, string[]> | undefined;
  /** What to do about it, when the message alone does not say. */
  readonly hint: string | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    fieldErrors?: Record<string, string[]>,
    hint?: string,
  ) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.fieldErrors = fieldErrors;
    this.hint = hint;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
