import { describeSourceConformance } from '../helpers/source-conformance.ts';
import { fikenSubject } from '../helpers/fiken-subject.ts';

describeSourceConformance(fikenSubject, { linesPerYear: 1_000, trials: Number(process.env.CONFORMANCE_TRIALS ?? 1) });
