import { describe, expect, it } from 'vitest';
import { expectGolden } from './golden.ts';

describe('golden files', () => {
  it('fail when missing, instead of writing one that makes the test pass by itself', () => {
    const saved = process.env.UPDATE_GOLDEN;
    delete process.env.UPDATE_GOLDEN;
    try {
      expect(() => expectGolden('never/written', { a: 1 })).toThrow(/is missing; run this test with UPDATE_GOLDEN=1/);
    } finally {
      if (saved !== undefined) process.env.UPDATE_GOLDEN = saved;
    }
  });
});
