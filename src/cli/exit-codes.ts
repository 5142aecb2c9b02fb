/** Exit codes of the product contract (DESIGN.md); scripts and CI jobs rely on them. */
export const ExitCode = {
  ok: 0,
  error: 1,
  /** `plan --detailed-exitcode` found changes; `drift` found drift. */
  changes: 2,
  /** `apply` converged some actions and failed others. */
  partial: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
