/**
 * Hyperparameter key spelling. Proxima's config fields are camelCase (`entCoef`); people type Stable-Baselines3's
 * snake_case (`ent_coef`). camelCase names never contain `_`, so mapping snake_case to camelCase is unambiguous.
 */

/** `ent_coef` → `entCoef`, `policy.net_arch` → `policy.netArch`; camelCase and dotted names pass through. */
export function snakeToCamel(key: string): string {
  return key.replace(/_+([a-zA-Z0-9])/g, (_, ch: string) => ch.toUpperCase());
}
