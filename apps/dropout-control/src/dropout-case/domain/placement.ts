/** Disability level as both registries record it. */
export const DISABILITY_LEVELS = ['none', 'mild', 'moderate', 'severe'] as const;
export type DisabilityLevel = (typeof DISABILITY_LEVELS)[number];

/** Where a child of each disability level is expected to study. */
export const PLACEMENTS = ['regular_class', 'special_school', 'home_teaching'] as const;
export type Placement = (typeof PLACEMENTS)[number];

/**
 * 随班就读 / 特校就读 / 送教上门: mild → regular class, moderate → special school, severe →
 * home teaching; a child without a disability returns to a regular class too.
 */
export function expectedPlacement(level: DisabilityLevel): Placement {
  switch (level) {
    case 'none':
    case 'mild':
      return 'regular_class';
    case 'moderate':
      return 'special_school';
    case 'severe':
      return 'home_teaching';
  }
}

/** The case resolution that carries out a placement. */
export function resolutionFor(placement: Placement): 'returned' | 'placed' | 'home_teaching' {
  switch (placement) {
    case 'regular_class':
      return 'returned';
    case 'special_school':
      return 'placed';
    case 'home_teaching':
      return 'home_teaching';
  }
}

const RANK: Record<DisabilityLevel, number> = { none: 0, mild: 1, moderate: 2, severe: 3 };

/** When the two registries disagree, the more severe assessment counts until a person reassesses. */
export function moreSevere(a: DisabilityLevel, b: DisabilityLevel): DisabilityLevel {
  return RANK[a] >= RANK[b] ? a : b;
}
