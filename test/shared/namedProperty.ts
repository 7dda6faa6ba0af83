// A fast-check property with a name and a tally of how its cases ended, so that the unit tier and
// `npm run property` can both run it and print its case counts.
import fc from 'fast-check';

export interface NamedProperty {
  name: string;
  /** Checks `runs` generated cases; throws fast-check's report (with the seed) on a failure. */
  run(runs: number, seed: number): void;
  /** Of the cases run, how many ended each way (a dialect, read / refused), for the report. */
  outcomes: Map<string, number>;
}

/** `check` asserts one case and names how it ended. */
export function named<T>(
  name: string,
  arbitrary: fc.Arbitrary<T>,
  check: (value: T) => string,
): NamedProperty {
  const outcomes = new Map<string, number>();
  const property = fc.property(arbitrary, (value) => {
    const outcome = check(value);
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  });
  return {
    name,
    outcomes,
    run: (numRuns, seed) => fc.assert(property, { numRuns, seed, endOnFailure: true }),
  };
}

/** `read 120, refused 80`: how the cases of a run ended. */
export function describeOutcomes(outcomes: ReadonlyMap<string, number>): string {
  return [...outcomes].map(([outcome, count]) => `${outcome} ${count}`).join(', ');
}
