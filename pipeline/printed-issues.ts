import type { ImportIssue } from '../model/index.ts';

/**
 * The messages of the first `limit` issues, and then how many more there were: the one place
 * that caps what a terminal or `sync_run.error` shows. The issue log itself is never capped
 * (`import_issue` keeps every one), since a broken file must not flood the screen, not hide.
 */
export function printedIssues(issues: readonly Pick<ImportIssue, 'message'>[], limit: number): string[] {
  const shown = issues.slice(0, limit).map((i) => i.message);
  if (issues.length > limit) shown.push(`… and ${issues.length - limit} more.`);
  return shown;
}
