// Whatever a request throws becomes an error value with a code, a message and maybe a hint,
// so every place that shows an error shows it the same way.
import { RequestError, type ErrorValue } from '../../../main/shared/contract.js';

export function toErrorValue(error: unknown): ErrorValue {
  if (error instanceof RequestError) {
    return {
      code: error.code,
      message: error.message,
      ...(error.hint ? { hint: error.hint } : {}),
      ...(error.fieldErrors ? { fieldErrors: error.fieldErrors } : {}),
    };
  }
  // A transport may hand over a plain value that crossed a structured clone.
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const value = error as ErrorValue;
    return { code: String(value.code), message: String(value.message), hint: value.hint };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message };
}
