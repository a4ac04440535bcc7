/**
 * True inside a Stryker run (`npm run test:mutation`): its instrumented code defines `__stryker__`
 * once loaded. There every statement of the code under test also records coverage, and a loop over
 * millions of characters runs some ten times slower, so a hang guard sized for the plain run would
 * fail its time bound and cost half a minute per mutant. Such a guard shrinks its input there; the
 * plain run (`npm test`, CI) keeps the full size and bound.
 */
export function underMutationTesting(): boolean {
  return '__stryker__' in globalThis;
}
