import { describe, expect, it } from 'vitest';
import { numberedWindow, offsetWindow } from '../../../sandbox/kit/index.ts';

describe('page windows', () => {
  it('by row offset: the rows asked for, whether more follow, empty past the end', () => {
    expect(offsetWindow(10, 0, 4)).toEqual({ start: 0, end: 4, more: true });
    expect(offsetWindow(10, 8, 4)).toEqual({ start: 8, end: 10, more: false });
    expect(offsetWindow(10, 6, 4)).toEqual({ start: 6, end: 10, more: false });
    expect(offsetWindow(10, 25, 4)).toEqual({ start: 10, end: 10, more: false });
  });

  it('by page number, from 0 (Fiken) or 1 (Fortnox), with the page count', () => {
    expect(numberedWindow(101, 0, 25)).toEqual({ start: 0, end: 25, more: true, pageCount: 5 });
    expect(numberedWindow(101, 4, 25)).toEqual({ start: 100, end: 101, more: false, pageCount: 5 });
    expect(numberedWindow(101, 1, 25, 1)).toEqual({ start: 0, end: 25, more: true, pageCount: 5 });
    expect(numberedWindow(101, 9, 25)).toEqual({ start: 101, end: 101, more: false, pageCount: 5 });
    expect(numberedWindow(0, 0, 25)).toEqual({ start: 0, end: 0, more: false, pageCount: 0 });
  });
});
