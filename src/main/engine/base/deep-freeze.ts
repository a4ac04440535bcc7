/** Config layers are values: freezing them makes an accidental shared mutation throw in strict mode. */
export function deepFreeze<T>(value: T): T {
  // Object.isFrozen is true of every primitive and of null: only unfrozen objects (and functions,
  // which layers never hold) go on.
  if (!Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
