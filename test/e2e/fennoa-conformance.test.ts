import { describeSourceConformance } from '../helpers/source-conformance.ts';
import { fennoaSubject } from '../helpers/fennoa-subject.ts';

describeSourceConformance(fennoaSubject, { linesPerYear: 1_000, trials: Number(process.env.CONFORMANCE_TRIALS ?? 1) });
