import { describe, expect, it } from 'vitest';
import {
  ALLOCATION_PARTITIONS,
  eligibleRequests,
  missingPartitions,
  partitionsOfSkus,
  partitionsToTry,
  RequestGroup,
  skuPartition,
} from '../../src/allocation/partitions';

const group = (ids: string[], partitions: number[]): RequestGroup => ({ requestIds: ids, partitions });

describe('SKU partitions', () => {
  it('puts every SKU in one partition, always the same, and spreads SKUs over all of them', () => {
    const skus = Array.from({ length: 2000 }, (_, i) => `SKU-${i}`);
    const counts = new Array(ALLOCATION_PARTITIONS).fill(0);
    const partitions = skus.map((sku) => skuPartition(sku));
    expect(partitions.every((p) => Number.isInteger(p) && p >= 0 && p < ALLOCATION_PARTITIONS)).toBe(true);
    expect(skus.map((sku) => skuPartition(sku))).toEqual(partitions);
    partitions.forEach((p) => counts[p]++);
    // 2000 SKUs over 32 partitions: 62.5 each on average; MD5 keeps every one well within a factor of two.
    expect(Math.min(...counts)).toBeGreaterThan(30);
    expect(Math.max(...counts)).toBeLessThan(125);
  });

  it('is the first 32 bits of the MD5 of the SKU, so SQL can compute the same', () => {
    // md5('abc') = 900150983cd24fb0…; 0x90015098 = 2416005272
    expect(skuPartition('abc', 1 << 30)).toBe(2416005272 % (1 << 30));
    expect(skuPartition('abc')).toBe(2416005272 % ALLOCATION_PARTITIONS);
  });

  it('lists an order’s partitions once each, ascending, and what a batch still lacks', () => {
    const skus = ['A', 'B', 'C', 'A'];
    const partitions = partitionsOfSkus(skus);
    expect(partitions).toEqual([...new Set(skus.map((s) => skuPartition(s)))].sort((a, b) => a - b));
    expect(missingPartitions([5, 1, 3, 1], new Set([3]))).toEqual([1, 5]);
    expect(missingPartitions([3], new Set([3]))).toEqual([]);
  });
});

describe('which partitions a batch tries to lock', () => {
  it('takes the partitions of the oldest groups until they make up the batch', () => {
    const groups = [group(['1'], [4]), group(['2', '3'], [1, 7]), group(['4'], [9])];
    expect(partitionsToTry(groups, new Set(), new Set(), 3)).toEqual([1, 4, 7]);
    expect(partitionsToTry(groups, new Set(), new Set(), 10)).toEqual([1, 4, 7, 9]);
  });

  it('skips groups that touch a busy partition, and partitions already held', () => {
    const groups = [group(['1'], [4]), group(['2'], [4, 7]), group(['3'], [9])];
    expect(partitionsToTry(groups, new Set(), new Set([4]), 10)).toEqual([9]);
    expect(partitionsToTry(groups, new Set([4]), new Set(), 10)).toEqual([7, 9]);
  });

  it('leaves partitions for other workers, but always covers the oldest group it can take', () => {
    const groups = [group(['1'], [0, 1, 2]), group(['2'], [3, 4]), group(['3'], [5])];
    expect(partitionsToTry(groups, new Set(), new Set(), 10, 4)).toEqual([0, 1, 2, 5]);
    expect(partitionsToTry(groups, new Set(), new Set(), 10, 2)).toEqual([0, 1, 2]);
  });

  it('does not let a younger group of a partition go before an older one that waits for a busy partition', () => {
    const groups = [group(['1'], [4, 7]), group(['2'], [4]), group(['3'], [9])];
    expect(partitionsToTry(groups, new Set(), new Set([7]), 10)).toEqual([9]);
  });

  it('asks for nothing when everything owed is busy', () => {
    expect(partitionsToTry([group(['1'], [2])], new Set(), new Set([2]), 10)).toEqual([]);
  });
});

describe('which requests a batch takes', () => {
  const groups = [group(['1'], [4]), group(['2', '3'], [1, 4]), group(['4'], [9]), group(['5'], [])];

  it('takes whole groups whose partitions are all held, oldest first', () => {
    expect(eligibleRequests(groups, new Set([4]), 10)).toEqual(['1', '5']);
    expect(eligibleRequests(groups, new Set([1, 4]), 10)).toEqual(['1', '2', '3', '5']);
    expect(eligibleRequests(groups, new Set([9]), 10)).toEqual(['4', '5']);
  });

  it('never takes a younger group of a partition while an older one of it cannot be taken', () => {
    const waiting = [group(['1'], [4, 7]), group(['2'], [4]), group(['3'], [9])];
    expect(eligibleRequests(waiting, new Set([4, 9]), 10)).toEqual(['3']);
    expect(eligibleRequests(waiting, new Set([4, 7, 9]), 10)).toEqual(['1', '2', '3']);
  });

  it('stops at the batch size without splitting a group, but takes a first group larger than the batch whole', () => {
    expect(eligibleRequests(groups, new Set([1, 4, 9]), 2)).toEqual(['1', '4']);
    expect(eligibleRequests([group(['1', '2', '3'], [0])], new Set([0]), 1)).toEqual(['1', '2', '3']);
  });
});
