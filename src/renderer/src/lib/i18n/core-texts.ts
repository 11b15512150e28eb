/**
 * The texts core owns, in the interface language: a validation message by its code (the backend's English message
 * where it has none), through the catalog keys of src/core/i18n/core-messages.ts.
 */
import type { ApiIssue } from '../../../../core/api/contract';
import { CORE_MESSAGE_KEYS } from '../../../../core/i18n/core-messages';
import { formatCoded, type Coded } from '../../../../core/validation/coded-messages';
import type { Translate } from './locales';

/** A coded message in the catalogs' words (`errors.<code>`, its phrases worded first). */
export function codedText(coded: Coded, t: Translate): string {
  return formatCoded(coded, (code, values) => t(CORE_MESSAGE_KEYS.error(code), values));
}

/** An issue of a rejected request: its code's message, else the backend's own (English) message. */
export function issueText(issue: Pick<ApiIssue, 'message' | 'coded'>, t: Translate): string {
  return issue.coded ? codedText(issue.coded, t) : issue.message;
}
