/**
 * A recorded replay's position as the overlays count it. An episode of L steps has L + 1 frames: the reset frame at
 * t = 0, then one per step up to t = L; the counter reads `t / L`, the same t the overlays show.
 */
export interface FramePosition {
  /** The shown frame's t (0 = the first observation, before any step). */
  t: number;
  /** The episode's length in steps (frames − 1). */
  steps: number;
}

export function framePosition(frame: { t: number } | null, frameCount: number): FramePosition {
  return { t: frame?.t ?? 0, steps: Math.max(0, frameCount - 1) };
}
