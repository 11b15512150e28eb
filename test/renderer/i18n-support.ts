/** The catalogs registered with svelte-i18n, as the app registers them: `translate(language)` is what `$_` gives. */
import { addMessages, format, init } from 'svelte-i18n';
import { get } from 'svelte/store';
import { CATALOGS } from '../../src/renderer/src/lib/i18n/catalogs';
import type { Translate } from '../../src/renderer/src/lib/i18n/locales';

for (const [name, messages] of Object.entries(CATALOGS)) addMessages(name, messages);
void init({ fallbackLocale: 'en', ignoreTag: true });

/** The catalogs' messages in `language`, as a component's `$_` gives them. */
export const translate =
  (language: string): Translate =>
  (key, values) =>
    get(format)(key, { values, locale: language });
