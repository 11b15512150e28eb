/**
 * Hyperparameter key spelling. Proxima's config fields are camelCase (`entCoef`); people type Stable-Baselines3's
 * snake_case (`ent_coef`). camelCase names never contain `_`, so mapping snake_case to camelCase is unambiguous.
 */

/** SB3 / RL Zoo names whose Proxima field is not their camelCase spelling. */
const SB3_ALIASES: Readonly<Record<string, string>> = Object.freeze({ n_timesteps: 'totalTimesteps' });

/**
 * `ent_coef` → `entCoef`, `policy.net_arch` → `policy.netArch`, `n_timesteps` → `totalTimesteps`; camelCase and
 * dotted names pass through.
 */
export function snakeToCamel(key: string): string {
  return Object.hasOwn(SB3_ALIASES, key) ? SB3_ALIASES[key] : key.replace(/_+([a-zA-Z0-9])/g, (_, ch: string) => ch.toUpperCase());
}
