import { describeSourceConformance } from '../helpers/source-conformance.ts';
import { tripletexSubject } from '../helpers/tripletex-subject.ts';

describeSourceConformance(tripletexSubject, { linesPerYear: 1_200, trials: Number(process.env.CONFORMANCE_TRIALS ?? 1) });
