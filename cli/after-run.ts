import { buildMarts, type Warehouse } from '../load/index.ts';

/**
 * What follows every run that changed the warehouse: the marts are rebuilt from the unified
 * tables, so analysts and dashboards never read views older than the data.
 */
export async function afterRun(warehouse: Warehouse): Promise<void> {
  const marts = await buildMarts(warehouse);
  const notes = [
    marts.unmappedAccounts && `${marts.unmappedAccounts} unmapped account${marts.unmappedAccounts === 1 ? '' : 's'}`,
    marts.tieOutDifferences && `${marts.tieOutDifferences} tie-out difference${marts.tieOutDifferences === 1 ? '' : 's'}`,
    marts.unbalancedVouchers && `${marts.unbalancedVouchers} unbalanced voucher${marts.unbalancedVouchers === 1 ? '' : 's'}`,
  ].filter(Boolean);
  console.log(`Marts rebuilt in ${(marts.durationMs / 1000).toFixed(1)} s${notes.length ? `; see mart_data_quality: ${notes.join(', ')}` : ''}.`);
}
