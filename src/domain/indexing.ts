/**
 * Reading an array element or a map entry that must be there. With `noUncheckedIndexedAccess` an index
 * read may be `undefined`; where a default is right the code says `?? default`, and where absence would be
 * a bug it reads through these helpers, which fail loudly (naming what was missing) instead of letting an
 * `undefined` travel on into figures.
 */

/** `arr[i]`, or an error when `i` lies outside the array (or the slot holds `undefined`). */
export function at<T>(arr: ArrayLike<T>, i: number): T {
  const v = arr[i];
  if (v === undefined) throw new RangeError(`index ${i} outside an array of length ${arr.length}`);
  return v;
}

/** The entry of `key` in a map that must have it. */
export function entry<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const v = map.get(key);
  if (v === undefined) throw new RangeError(`no entry for ${String(key)}`);
  return v;
}

/** The value of `key` in a record that must have it. */
export function field<V>(rec: Readonly<Record<string, V>>, key: string): V {
  const v = rec[key];
  if (v === undefined) throw new RangeError(`no field ${key}`);
  return v;
}
