/**
 * The catalogs' messages for code outside a component (state classes, notices built on an action): what `$_` gives a
 * component, in the language shown at the time of the call. A component passes its own `$_` where it can, so its
 * text follows a language switch at once.
 */
import { format } from 'svelte-i18n';
import { get } from 'svelte/store';
import type { Translate } from './locales';

export const translate: Translate = (key, values) => get(format)(key, { values });
