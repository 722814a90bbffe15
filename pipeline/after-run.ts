import { basename, dirname, join } from 'node:path';
import { buildMarts, publishSnapshot, type Warehouse } from '../load/index.ts';

/** Where the dashboards read: a copy beside the warehouse, never the file the ETL writes. */
export function publishedPath(warehousePath: string): string {
  return join(dirname(warehousePath), 'published', basename(warehousePath));
}

/**
 * What follows every run that changed the warehouse: the marts are rebuilt from the unified
 * tables, and a snapshot is published for the dashboards, swapped in by rename so a reader
 * never sees half of one.
 */
export async function afterRun(warehouse: Warehouse): Promise<void> {
  const marts = await buildMarts(warehouse);
  const notes = [
    marts.unmappedAccounts && `${marts.unmappedAccounts} unmapped account${marts.unmappedAccounts === 1 ? '' : 's'}`,
    marts.tieOutDifferences && `${marts.tieOutDifferences} tie-out difference${marts.tieOutDifferences === 1 ? '' : 's'}`,
    marts.unbalancedVouchers && `${marts.unbalancedVouchers} unbalanced voucher${marts.unbalancedVouchers === 1 ? '' : 's'}`,
  ].filter(Boolean);
  console.log(`Marts rebuilt in ${(marts.durationMs / 1000).toFixed(1)} s${notes.length ? `; see mart_data_quality: ${notes.join(', ')}` : ''}.`);
  const snapshot = publishedPath(warehouse.path);
  await publishSnapshot(warehouse, snapshot);
  console.log(`Published for the dashboards: ${snapshot}`);
}
