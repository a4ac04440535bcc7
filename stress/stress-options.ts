/**
 * Sizes of the stress and leak runs. `npm test` runs the short profile; `npm run test:stress`
 * (stress/vitest.config.ts) sets DESKMATE_STRESS_PROFILE=full. Each size can be overridden, and
 * DESKMATE_STRESS_SEED replays a run's schedule.
 */
export interface StressOptions {
  profile: 'short' | 'full';
  seed: number;
  /** Contexts driven at once. */
  contexts: number;
  /** Actions each context takes. */
  steps: number;
  /** Create / use / dispose cycles of the leak check. */
  cycles: number;
}

const PROFILES = {
  short: { contexts: 8, steps: 16, cycles: 300 },
  full: { contexts: 50, steps: 40, cycles: 1_000 },
} as const;

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, not ${raw}`);
  return value;
}

export function stressOptions(): StressOptions {
  const profile = process.env.DESKMATE_STRESS_PROFILE === 'full' ? 'full' : 'short';
  const sizes = PROFILES[profile];
  // A fresh seed per run unless one is given: every run explores a new schedule, and prints it.
  const seed = positiveInt('DESKMATE_STRESS_SEED', Math.floor(Math.random() * 2 ** 31) + 1);
  return {
    profile,
    seed,
    contexts: positiveInt('DESKMATE_STRESS_N', sizes.contexts),
    steps: positiveInt('DESKMATE_STRESS_STEPS', sizes.steps),
    cycles: positiveInt('DESKMATE_STRESS_CYCLES', sizes.cycles),
  };
}
