/**
 * What to show for whatever a failed call threw, in the interface language: the one helper every view and state
 * class uses for "error → text".
 */
import { ApiCallError, type ApiError, type ApiIssue } from '../../../../core/api/contract';
import { codedText, issueText } from '../i18n/core-texts';
import type { Translate } from '../i18n/locales';
import { MessageError } from '../i18n/message-error';
import { translate } from '../i18n/translate';

/**
 * A failure in the words of `t` (a component passes its `$_`, so the text follows a language switch; state classes
 * take the language shown at the time): a backend error by its code, else by its per-field issues where they are
 * coded (`path: problem; …`, as the backend joins them), else its (English) message; a `MessageError` by its key;
 * any other error as its message.
 */
export function errorText(error: unknown, t: Translate = translate): string {
  if (error instanceof ApiCallError) {
    const { coded, issues = [], message } = error.error;
    if (coded) return codedText(coded, t);
    if (issues.some((issue) => issue.coded)) return issues.map((issue) => (issue.path ? `${issue.path}: ${issueText(issue, t)}` : issueText(issue, t))).join('; ');
    return message;
  }
  if (error instanceof MessageError) return t(error.key, error.values);
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The per-field issues of a schema error (empty for other errors). */
export function errorIssues(error: unknown): NonNullable<ApiError['issues']> {
  return error instanceof ApiCallError ? (error.error.issues ?? []) : [];
}

/** A failure as one issue of a form's general messages: its English text, and its code where it has one. */
export function errorIssue(error: unknown): ApiIssue {
  const coded = error instanceof ApiCallError ? error.error.coded : undefined;
  return { path: '', message: errorText(error), ...(coded ? { coded } : {}) };
}
