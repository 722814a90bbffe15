/** Something about the warehouse file itself: locked, unreadable, or from a newer version. */
export class WarehouseError extends Error {
  override readonly name = 'WarehouseError';
}
