import { describe, expect, it } from 'vitest';
import { printedIssues } from '../../pipeline/index.ts';

describe('printedIssues', () => {
  const issues = (n: number) => Array.from({ length: n }, (_, i) => ({ message: `problem ${i + 1}` }));

  it('lists every message up to the limit', () => {
    expect(printedIssues(issues(3), 3)).toEqual(['problem 1', 'problem 2', 'problem 3']);
    expect(printedIssues([], 10)).toEqual([]);
  });

  it('past the limit, lists the first and says how many more there were', () => {
    expect(printedIssues(issues(5), 2)).toEqual(['problem 1', 'problem 2', '… and 3 more.']);
  });
});
