/**
 * The texts core owns, in the interface language: a validation message by its code (the backend's English message
 * where it has none), a sweep template's label, through the catalog keys of src/core/i18n/core-messages.ts.
 */
import type { ApiIssue, SweepTemplateInfo } from '../../../../core/api/contract';
import { CORE_MESSAGE_KEYS } from '../../../../core/i18n/core-messages';
import { formatCoded, type Coded } from '../../../../core/validation/coded-messages';
import { CATALOGS } from './catalogs';
import { LOCALES, type Translate } from './locales';

/** A coded message in the catalogs' words (`errors.<code>`, its phrases worded first). */
export function codedText(coded: Coded, t: Translate): string {
  return formatCoded(coded, (code, values) => t(CORE_MESSAGE_KEYS.error(code), values));
}

/** An issue of a rejected request: its code's message, else the backend's own (English) message. */
export function issueText(issue: Pick<ApiIssue, 'message' | 'coded'>, t: Translate): string {
  return issue.coded ? codedText(issue.coded, t) : issue.message;
}

/** A sweep template's label in the words of `t`. */
export function templateLabel(template: Pick<SweepTemplateInfo, 'id'>, t: Translate): string {
  return t(CORE_MESSAGE_KEYS.templateLabel(template.id));
}

/** A sweep template's label in every interface language (and core's English): a name that is one of them was not typed. */
export function templateLabels(template: Pick<SweepTemplateInfo, 'id' | 'label'>): string[] {
  const key = CORE_MESSAGE_KEYS.templateLabel(template.id);
  return [template.label, ...LOCALES.map((locale) => CATALOGS[locale][key]).filter((label): label is string => label !== undefined)];
}
