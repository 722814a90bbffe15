/** A report pack cannot be made as asked (unknown organization, no such period, an output folder that is not a pack). One sentence for a person. */
export class ReportPackError extends Error {
  override readonly name = 'ReportPackError';
}
