// Both transports carry results as values; callers get the value or a thrown RequestError.
import { RequestError, type Result } from '../../../main/shared/contract.js';

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new RequestError(result.error);
}
