/** Test helper: the GripError a call throws (fails the test when it throws nothing or something else). */
import { GripError } from '../../domain/errors.js';

export function errorOf(f: () => unknown): GripError {
  try {
    f();
  } catch (e) {
    if (e instanceof GripError) return e;
    throw e;
  }
  throw new Error('expected a GripError');
}
